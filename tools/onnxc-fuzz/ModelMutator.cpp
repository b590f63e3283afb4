//===- ModelMutator.cpp - structure-aware mutations of ONNX models --------===//
//
// libFuzzer's byte mutations almost always break the protobuf, so byte-level
// fuzzing spends its time in the parser. This custom mutator (linked only into
// onnxc-fuzz, never into the replay driver) parses the input as a ModelProto,
// changes one thing the importer and the passes care about -- an op type, an
// attribute value, a dim, an edge, an initializer's data, the opset -- and
// serialises it again, so most inputs reach shape inference and lowering.
// One time in four, and for inputs that do not parse, it falls back to
// libFuzzer's byte mutations, which keep the parser itself covered.
//
//===----------------------------------------------------------------------===//
#include "compiler/NodeImporter.h"

#include "onnx.pb.h"

#include <algorithm>
#include <cstdint>
#include <cstring>
#include <iterator>
#include <limits>
#include <random>
#include <string>
#include <vector>

extern "C" size_t LLVMFuzzerMutate(uint8_t *data, size_t size, size_t maxSize);

namespace {

using Rng = std::minstd_rand;

size_t pick(Rng &rng, size_t n) { return n ? rng() % n : 0; }

/// Values that tend to break size, index and shape arithmetic.
int64_t interestingInt(Rng &rng, int64_t old) {
  static const int64_t edges[] = {0, 1, -1, 2, -2, 3, 4, 7, 64, 255, 256, int64_t(1) << 31,
                                  int64_t(1) << 32, (int64_t(1) << 62) + 1, INT64_MAX,
                                  INT64_MIN, INT32_MAX, INT32_MIN};
  // Wrapping arithmetic: the mutator itself must not trip UBSan.
  switch (rng() % 4) {
  case 0: return edges[pick(rng, std::size(edges))];
  case 1: return int64_t(uint64_t(old) + uint64_t(rng() % 5) - 2);
  case 2: return int64_t(0 - uint64_t(old));
  default: return int64_t(rng() % 16);
  }
}

float interestingFloat(Rng &rng, float old) {
  static const float edges[] = {0.0f, -0.0f, 1.0f, -1.0f, 1e-30f, 1e30f, 3.4e38f,
                                std::numeric_limits<float>::infinity(),
                                std::numeric_limits<float>::quiet_NaN()};
  return rng() % 2 ? edges[pick(rng, std::size(edges))] : old * float(int(rng() % 7) - 3);
}

/// Every value name the graph mentions, for rewiring edges.
std::vector<std::string> valueNames(const onnx::GraphProto &g) {
  std::vector<std::string> names;
  for (const auto &i : g.input())
    names.push_back(i.name());
  for (const auto &t : g.initializer())
    names.push_back(t.name());
  for (const auto &n : g.node())
    for (const auto &o : n.output())
      names.push_back(o);
  return names;
}

const std::vector<std::string> &opTypes() {
  static const std::vector<std::string> ops = [] {
    std::vector<std::string> v;
    for (const auto &entry : onnxc::opImporters())
      v.push_back(entry.getKey().str());
    std::sort(v.begin(), v.end()); // StringMap order is not meaningful
    return v;
  }();
  return ops;
}

void mutateAttribute(onnx::AttributeProto &a, Rng &rng) {
  switch (rng() % 6) {
  case 0:
    a.set_i(interestingInt(rng, a.i()));
    break;
  case 1:
    if (a.ints_size())
      a.set_ints(pick(rng, a.ints_size()), interestingInt(rng, a.ints(pick(rng, a.ints_size()))));
    else
      a.add_ints(interestingInt(rng, 0));
    break;
  case 2:
    if (a.ints_size() && rng() % 2)
      a.mutable_ints()->RemoveLast();
    else
      a.add_ints(interestingInt(rng, 1));
    break;
  case 3:
    a.set_f(interestingFloat(rng, a.f()));
    break;
  case 4: // A wrong or missing type.
    a.set_type(static_cast<onnx::AttributeProto::AttributeType>(rng() % 14));
    break;
  default: {
    static const char *strings[] = {"NOTSET", "SAME_UPPER", "SAME_LOWER", "VALID", "", "x"};
    a.set_s(strings[pick(rng, std::size(strings))]);
  }
  }
}

void mutateTensor(onnx::TensorProto &t, Rng &rng) {
  switch (rng() % 5) {
  case 0:
    if (t.dims_size())
      t.set_dims(pick(rng, t.dims_size()), interestingInt(rng, t.dims(0)));
    else
      t.add_dims(interestingInt(rng, 1));
    break;
  case 1:
    t.set_data_type(int32_t(rng() % 17));
    break;
  case 2: { // Flip or cut raw bytes: values (and value-dependent shapes) change.
    std::string *raw = t.mutable_raw_data();
    if (raw->empty() || rng() % 4 == 0)
      raw->resize(raw->size() / 2);
    else
      (*raw)[pick(rng, raw->size())] ^= char(1u << (rng() % 8));
    break;
  }
  case 3: // Constant int64 data feeds Reshape / Slice / Expand shapes.
    if (t.int64_data_size())
      t.set_int64_data(pick(rng, t.int64_data_size()), interestingInt(rng, 0));
    else if (t.raw_data().size() >= 8 && t.data_type() == onnx::TensorProto::INT64) {
      int64_t v = interestingInt(rng, 0);
      std::memcpy(&(*t.mutable_raw_data())[8 * pick(rng, t.raw_data().size() / 8)], &v, 8);
    }
    break;
  default:
    if (t.dims_size() && rng() % 2)
      t.mutable_dims()->RemoveLast();
    else
      t.add_dims(1 + rng() % 3);
  }
}

void mutateGraph(onnx::ModelProto &model, Rng &rng) {
  onnx::GraphProto &g = *model.mutable_graph();
  std::vector<std::string> names = valueNames(g);
  onnx::NodeProto *node = g.node_size() ? g.mutable_node(pick(rng, g.node_size())) : nullptr;
  switch (rng() % 12) {
  case 0:
    if (node && !opTypes().empty())
      node->set_op_type(opTypes()[pick(rng, opTypes().size())]);
    break;
  case 1:
  case 2:
    if (node && node->attribute_size())
      mutateAttribute(*node->mutable_attribute(pick(rng, node->attribute_size())), rng);
    else if (node) { // Attributes the importers read, on nodes that may not expect them.
      static const char *attrs[] = {"axis", "axes", "perm", "pads", "strides", "kernel_shape",
                                    "dilations", "group", "keepdims", "transA", "alpha", "to"};
      auto *a = node->add_attribute();
      a->set_name(attrs[pick(rng, std::size(attrs))]);
      a->set_type(rng() % 2 ? onnx::AttributeProto::INT : onnx::AttributeProto::INTS);
      mutateAttribute(*a, rng);
    }
    break;
  case 3: // Rewire an input to another value (or to nothing, an omitted optional input).
    if (node && node->input_size() && !names.empty())
      node->set_input(pick(rng, node->input_size()), rng() % 8 ? names[pick(rng, names.size())] : "");
    break;
  case 4: // One input more or one fewer.
    if (node && !names.empty() && rng() % 2)
      node->add_input(names[pick(rng, names.size())]);
    else if (node && node->input_size())
      node->mutable_input()->RemoveLast();
    break;
  case 5: { // A new node of a known op over existing values, feeding a graph output.
    if (names.empty() || opTypes().empty())
      break;
    auto *n = g.add_node();
    n->set_op_type(opTypes()[pick(rng, opTypes().size())]);
    for (unsigned i = 0, e = 1 + rng() % 3; i < e; ++i)
      n->add_input(names[pick(rng, names.size())]);
    n->add_output("fuzz_" + std::to_string(g.node_size()));
    if (g.output_size())
      g.mutable_output(0)->set_name(n->output(0));
    break;
  }
  case 6:
    if (g.node_size() > 1) {
      int a = pick(rng, g.node_size()), b = pick(rng, g.node_size());
      g.mutable_node()->SwapElements(a, b);
    }
    break;
  case 7:
    if (g.node_size())
      g.mutable_node()->DeleteSubrange(pick(rng, g.node_size()), 1);
    break;
  case 8: { // Graph input / output shapes and types.
    auto &infos = rng() % 2 ? *g.mutable_input() : *g.mutable_output();
    if (infos.empty())
      break;
    auto *tt = infos.Mutable(pick(rng, infos.size()))->mutable_type()->mutable_tensor_type();
    if (rng() % 4 == 0) {
      tt->set_elem_type(int32_t(rng() % 17));
    } else if (tt->shape().dim_size() && rng() % 3) {
      tt->mutable_shape()->mutable_dim(pick(rng, tt->shape().dim_size()))
          ->set_dim_value(interestingInt(rng, 1));
    } else {
      tt->mutable_shape()->add_dim()->set_dim_value(1 + rng() % 4);
    }
    break;
  }
  case 9:
  case 10: {
    // An initializer, or a Constant node's value tensor.
    if (g.initializer_size() && rng() % 2) {
      mutateTensor(*g.mutable_initializer(pick(rng, g.initializer_size())), rng);
    } else if (node) {
      for (auto &a : *node->mutable_attribute())
        if (a.has_t()) {
          mutateTensor(*a.mutable_t(), rng);
          break;
        }
    }
    break;
  }
  default:
    if (model.opset_import_size())
      model.mutable_opset_import(0)->set_version(rng() % 3 ? 1 + rng() % 24
                                                           : interestingInt(rng, 13));
  }
}

} // namespace

extern "C" size_t LLVMFuzzerCustomMutator(uint8_t *data, size_t size, size_t maxSize,
                                          unsigned int seed) {
  Rng rng(seed);
  onnx::ModelProto model;
  if (rng() % 4 == 0 || !model.ParseFromArray(data, int(size)) || !model.has_graph())
    return LLVMFuzzerMutate(data, size, maxSize);
  for (unsigned i = 0, n = 1 + rng() % 3; i < n; ++i)
    mutateGraph(model, rng);
  std::string out;
  if (!model.SerializeToString(&out) || out.size() > maxSize)
    return LLVMFuzzerMutate(data, size, maxSize);
  std::memcpy(data, out.data(), out.size());
  return out.size();
}
