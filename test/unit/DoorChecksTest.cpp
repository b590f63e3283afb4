//===- DoorChecksTest.cpp - every check on untrusted model input ----------===//
//
// One test per check that runs at the door (ModelFile, the importer, the
// --max-size limits): each builds the smallest model that breaks the rule and
// expects one message naming the file and the node or tensor. The command-line
// side (exit code 1, nothing written) is test/e2e/bad_inputs.py.
//
//===----------------------------------------------------------------------===//
#include "compiler/Diagnostics.h"
#include "compiler/Importer.h"
#include "compiler/Pipeline.h"

#include "mlir/IR/MLIRContext.h"
#include "mlir/Pass/PassManager.h"
#include "llvm/Support/FileSystem.h"
#include "llvm/Support/Path.h"

#include <gtest/gtest.h>

#include <fstream>

using namespace onnxc;
using ::onnx::AttributeProto;
using ::onnx::TensorProto;

namespace {

class DoorChecksTest : public ::testing::Test {
protected:
  void SetUp() override {
    llvm::SmallString<128> dir;
    ASSERT_FALSE(llvm::sys::fs::createUniqueDirectory("onnxc-door", dir));
    root = std::string(dir);
    folder = root + "/model"; // a folder inside root, so root can hold "outside" files
    ASSERT_FALSE(llvm::sys::fs::create_directory(folder));
    mlir::DialectRegistry registry;
    registerOnnxcDialects(registry);
    registerCompilerPasses();
    ctx = std::make_unique<mlir::MLIRContext>(registry);
    ctx->printOpOnDiagnostic(false);
    ctx->getDiagEngine().registerHandler([this](mlir::Diagnostic &d) {
      if (d.getSeverity() == mlir::DiagnosticSeverity::Error)
        messages.push_back(formatDiagnostic(d.getLocation(), d.str()));
    });
  }
  void TearDown() override { llvm::sys::fs::remove_directories(root); }

  /// x[2] -> (nodes added by the test) -> y[2], opset 13.
  static ::onnx::ModelProto model(int64_t opset = 13) {
    ::onnx::ModelProto m;
    m.set_ir_version(8);
    auto *imp = m.add_opset_import();
    imp->set_domain("");
    imp->set_version(opset);
    return m;
  }
  static void value(::onnx::ValueInfoProto *info, const std::string &name,
                    std::vector<int64_t> dims) {
    info->set_name(name);
    auto *t = info->mutable_type()->mutable_tensor_type();
    t->set_elem_type(TensorProto::FLOAT);
    for (int64_t d : dims)
      t->mutable_shape()->add_dim()->set_dim_value(d);
  }
  static ::onnx::NodeProto *node(::onnx::ModelProto &m, const std::string &op,
                                 std::vector<std::string> ins, std::vector<std::string> outs,
                                 const std::string &name) {
    auto *n = m.mutable_graph()->add_node();
    n->set_op_type(op);
    n->set_name(name);
    for (auto &i : ins)
      n->add_input(i);
    for (auto &o : outs)
      n->add_output(o);
    return n;
  }
  /// y = x + w, with w an initializer of `dims` the test fills in.
  static TensorProto *addWithWeight(::onnx::ModelProto &m, std::vector<int64_t> dims,
                                    std::vector<int64_t> xdims = {2}) {
    value(m.mutable_graph()->add_input(), "x", xdims);
    value(m.mutable_graph()->add_output(), "y", xdims);
    auto *w = m.mutable_graph()->add_initializer();
    w->set_name("w");
    w->set_data_type(TensorProto::FLOAT);
    for (int64_t d : dims)
      w->add_dims(d);
    node(m, "Add", {"x", "w"}, {"y"}, "add");
    return w;
  }
  static void external(TensorProto *t, std::vector<std::pair<std::string, std::string>> kv) {
    t->set_data_location(TensorProto::EXTERNAL);
    for (auto &[k, v] : kv) {
      auto *e = t->add_external_data();
      e->set_key(k);
      e->set_value(v);
    }
  }
  std::string write(const ::onnx::ModelProto &m) {
    std::string path = folder + "/model.onnx";
    std::ofstream out(path, std::ios::binary | std::ios::trunc);
    m.SerializeToOstream(&out);
    return path;
  }
  void writeFile(const std::string &path, size_t bytes) {
    std::ofstream(path, std::ios::binary) << std::string(bytes, '\0');
  }

  /// Imports (and with `pipeline`, runs the graph and bufferize stages as onnxc
  /// does); true on success. Messages land in `messages`.
  bool compiles(const ::onnx::ModelProto &m, ImportOptions opts = {}, bool pipeline = false) {
    messages.clear();
    std::string error;
    auto file = ModelFile::load(write(m), error);
    if (!file) {
      messages.push_back(error);
      return false;
    }
    auto module = importModel(*ctx, *file, opts);
    if (!module || !pipeline)
      return bool(module);
    mlir::PassManager pm(ctx.get(), mlir::ModuleOp::getOperationName());
    buildGraphPipeline(pm, opts.maxBytes);
    buildBufferizePipeline(pm, opts.functionName, opts.maxBytes);
    return mlir::succeeded(pm.run(*module));
  }
  /// Exactly one error, naming the model file and containing `text` (and `more`).
  ::testing::AssertionResult oneError(const std::string &text, const std::string &more = "") const {
    std::string all;
    for (const auto &m : messages)
      all += "\n  " + m;
    if (messages.size() != 1)
      return ::testing::AssertionFailure() << messages.size() << " errors:" << all;
    if (messages[0].find("model.onnx") == std::string::npos ||
        messages[0].find(text) == std::string::npos || messages[0].find(more) == std::string::npos)
      return ::testing::AssertionFailure() << "want '" << text << "' and '" << more << "', got:"
                                           << all;
    return ::testing::AssertionSuccess();
  }

  std::string root, folder;
  std::unique_ptr<mlir::MLIRContext> ctx;
  std::vector<std::string> messages;
};

// --- sizes ------------------------------------------------------------------------------------

TEST_F(DoorChecksTest, DimsWhoseProductOverflows) {
  // 2^31 cubed elements: the product overflows int64; nothing may be allocated for it.
  auto m = model();
  addWithWeight(m, {int64_t(1) << 31, int64_t(1) << 31, int64_t(1) << 31});
  EXPECT_FALSE(compiles(m));
  EXPECT_TRUE(oneError("initializer 'w': is larger than the limit of"));

  auto in = model();
  value(in.mutable_graph()->add_input(), "x", {int64_t(1) << 40, int64_t(1) << 40});
  value(in.mutable_graph()->add_output(), "y", {});
  node(in, "Relu", {"x"}, {"y"}, "r");
  EXPECT_FALSE(compiles(in));
  EXPECT_TRUE(oneError("input 'x': is larger than the limit of"));

  // The same through a Constant node's tensor, which skips the initializer limit.
  auto c = model();
  value(c.mutable_graph()->add_output(), "y", {});
  auto *k = node(c, "Constant", {}, {"y"}, "big_constant")->add_attribute();
  k->set_name("value");
  k->set_type(AttributeProto::TENSOR);
  k->mutable_t()->set_data_type(TensorProto::FLOAT);
  for (int i = 0; i < 3; ++i)
    k->mutable_t()->add_dims(int64_t(1) << 31);
  EXPECT_FALSE(compiles(c));
  EXPECT_TRUE(oneError("node 'big_constant' (Constant, opset 13)"));
}

TEST_F(DoorChecksTest, NegativeAndZeroDims) {
  auto m = model();
  addWithWeight(m, {-2});
  EXPECT_FALSE(compiles(m));
  EXPECT_TRUE(oneError("initializer 'w': has a negative dimension -2"));

  // A declared 0 is valid ONNX (an empty tensor); a negative one is refused, once.
  auto z = model();
  value(z.mutable_graph()->add_input(), "x", {0, 4});
  value(z.mutable_graph()->add_output(), "y", {0, 4});
  node(z, "Relu", {"x"}, {"y"}, "r");
  EXPECT_TRUE(compiles(z)) << (messages.empty() ? "" : messages[0]);

  auto n = model();
  value(n.mutable_graph()->add_input(), "x", {-3, 4});
  value(n.mutable_graph()->add_output(), "y", {-3, 4});
  node(n, "Relu", {"x"}, {"y"}, "r");
  EXPECT_FALSE(compiles(n));
  EXPECT_TRUE(oneError("input 'x': has a dimension -3; dimensions must not be negative"));

  ImportOptions zeroShape;
  zeroShape.inputShapes["x"] = {0, 4};
  EXPECT_TRUE(compiles(z, zeroShape)) << (messages.empty() ? "" : messages[0]);

  // Empty initializers are valid ONNX (e.g. an unused optional input) and are accepted.
  auto e = model();
  addWithWeight(e, {0}, {1});
  EXPECT_TRUE(compiles(e)) << (messages.empty() ? "" : messages[0]);
}

TEST_F(DoorChecksTest, InitializerDataShorterOrLonger) {
  auto m = model();
  auto *w = addWithWeight(m, {2});
  w->set_raw_data(std::string(4, '\0'));
  EXPECT_FALSE(compiles(m));
  EXPECT_TRUE(oneError("initializer 'w': holds 4 bytes of data, its shape needs 8"));
  w->set_raw_data(std::string(12, '\0'));
  EXPECT_FALSE(compiles(m));
  EXPECT_TRUE(oneError("initializer 'w': holds 12 bytes of data, its shape needs 8"));
  w->clear_raw_data();
  for (int i = 0; i < 3; ++i)
    w->add_float_data(1.0f);
  EXPECT_FALSE(compiles(m));
  EXPECT_TRUE(oneError("initializer 'w': holds 3 values for 2 elements"));
  w->clear_float_data();
  EXPECT_FALSE(compiles(m)); // no data at all
  EXPECT_TRUE(oneError("initializer 'w': holds 0 values for 2 elements"));
}

TEST_F(DoorChecksTest, MaxSizeLimitsWeightsInputsAndWorkspace) {
  ImportOptions small;
  small.maxBytes = 1024;
  auto m = model();
  auto *w = addWithWeight(m, {512}, {512});
  w->set_raw_data(std::string(2048, '\0'));
  EXPECT_FALSE(compiles(m, small));
  // The input comes first and is over the limit too: both are named.
  ASSERT_EQ(messages.size(), 2u);
  EXPECT_NE(messages[0].find("input 'x': is larger than the limit of 1024 bytes"), std::string::npos);
  EXPECT_NE(messages[1].find("initializer 'w': is larger than the limit of 1024 bytes"),
            std::string::npos);

  // Two weights under the limit, together over it.
  auto two = model();
  auto *a = addWithWeight(two, {128}, {128});
  a->set_raw_data(std::string(512, '\0'));
  auto *b = two.mutable_graph()->add_initializer();
  *b = *a;
  b->set_name("w2");
  *two.mutable_graph()->add_initializer() = *b;
  two.mutable_graph()->mutable_initializer(2)->set_name("w3");
  EXPECT_FALSE(compiles(two, small));
  EXPECT_TRUE(oneError("initializer 'w3': brings the weights past the limit of 1024 bytes"));

  // An intermediate tensor over the limit: Concat of x[1,256] (1 KiB) with itself.
  auto cat = model();
  value(cat.mutable_graph()->add_input(), "x", {1, 256});
  value(cat.mutable_graph()->add_output(), "y", {1, 512});
  node(cat, "Concat", {"x", "x"}, {"y"}, "cat")->add_attribute()->set_name("axis");
  cat.mutable_graph()->mutable_node(0)->mutable_attribute(0)->set_type(AttributeProto::INT);
  cat.mutable_graph()->mutable_node(0)->mutable_attribute(0)->set_i(1);
  EXPECT_FALSE(compiles(cat, small, /*pipeline=*/true));
  EXPECT_TRUE(oneError("node 'cat' (Concat, opset 13)", "larger than the limit of 1024 bytes"));

  // x[16,16] (1 KiB) -> a = x@x, b = a@a, y = b@a: a and b live together, 2 KiB of workspace.
  auto ws = model();
  value(ws.mutable_graph()->add_input(), "x", {16, 16});
  value(ws.mutable_graph()->add_output(), "y", {16, 16});
  node(ws, "MatMul", {"x", "x"}, {"a"}, "m1");
  node(ws, "MatMul", {"a", "a"}, {"b"}, "m2");
  node(ws, "MatMul", {"b", "a"}, {"y"}, "m3");
  EXPECT_TRUE(compiles(ws, {}, /*pipeline=*/true)) << (messages.empty() ? "" : messages[0]);
  EXPECT_FALSE(compiles(ws, small, /*pipeline=*/true));
  EXPECT_TRUE(oneError("more than the limit of 1024 bytes (--max-size)"));
}

// --- graph structure ----------------------------------------------------------------------------

TEST_F(DoorChecksTest, GraphThatIsNotADag) {
  auto cycle = model();
  value(cycle.mutable_graph()->add_input(), "x", {2});
  value(cycle.mutable_graph()->add_output(), "y", {2});
  node(cycle, "Add", {"x", "b"}, {"a"}, "first");
  node(cycle, "Relu", {"a"}, {"b"}, "second");
  node(cycle, "Relu", {"b"}, {"y"}, "third");
  EXPECT_FALSE(compiles(cycle));
  EXPECT_TRUE(oneError("node 'first' (Add, opset 13): input 'b' is produced by no earlier node"));

  auto self = model();
  value(self.mutable_graph()->add_input(), "x", {2});
  value(self.mutable_graph()->add_output(), "y", {2});
  node(self, "Add", {"x", "y"}, {"y"}, "loop");
  EXPECT_FALSE(compiles(self));
  EXPECT_TRUE(oneError("node 'loop' (Add, opset 13): input 'y' is produced by no earlier node"));
}

TEST_F(DoorChecksTest, InputThatNothingProduces) {
  auto m = model();
  value(m.mutable_graph()->add_input(), "x", {2});
  value(m.mutable_graph()->add_output(), "y", {2});
  node(m, "Add", {"x", "ghost"}, {"y"}, "haunted");
  EXPECT_FALSE(compiles(m));
  EXPECT_TRUE(oneError("node 'haunted' (Add, opset 13): input 'ghost' is produced by no"));

  auto out = model();
  value(out.mutable_graph()->add_input(), "x", {2});
  value(out.mutable_graph()->add_output(), "nowhere", {2});
  EXPECT_FALSE(compiles(out));
  EXPECT_TRUE(oneError("output 'nowhere': is produced by no node, initializer or input"));
}

TEST_F(DoorChecksTest, DuplicateNames) {
  auto twice = model();
  value(twice.mutable_graph()->add_input(), "x", {2});
  value(twice.mutable_graph()->add_output(), "y", {2});
  value(twice.mutable_graph()->add_output(), "y", {2});
  node(twice, "Relu", {"x"}, {"y"}, "r");
  EXPECT_FALSE(compiles(twice));
  EXPECT_TRUE(oneError("output 'y': is listed twice among the graph outputs"));

  auto redefined = model();
  value(redefined.mutable_graph()->add_input(), "x", {2});
  value(redefined.mutable_graph()->add_output(), "y", {2});
  node(redefined, "Relu", {"x"}, {"y"}, "r1");
  node(redefined, "Sigmoid", {"x"}, {"y"}, "r2");
  EXPECT_FALSE(compiles(redefined));
  EXPECT_TRUE(oneError("node 'r2' (Sigmoid, opset 13): defines 'y', which is already defined"));

  auto shadow = model(); // a node output named like a graph input
  value(shadow.mutable_graph()->add_input(), "x", {2});
  value(shadow.mutable_graph()->add_output(), "x", {2});
  node(shadow, "Relu", {"x"}, {"x"}, "shadow");
  EXPECT_FALSE(compiles(shadow));
  EXPECT_TRUE(oneError("defines 'x', which is already defined"));

  auto weights = model();
  auto *w = addWithWeight(weights, {2});
  w->set_raw_data(std::string(8, '\0'));
  *weights.mutable_graph()->add_initializer() = *w;
  EXPECT_FALSE(compiles(weights));
  EXPECT_TRUE(oneError("initializer 'w': defines 'w', which is already defined"));
}

TEST_F(DoorChecksTest, OpsetMissingOrUnsupported) {
  for (int64_t opset : {int64_t(0), int64_t(-3), kMaxOpset + 1, int64_t(1) << 40}) {
    auto m = model(opset);
    value(m.mutable_graph()->add_input(), "x", {2});
    value(m.mutable_graph()->add_output(), "y", {2});
    node(m, "Relu", {"x"}, {"y"}, "r");
    EXPECT_FALSE(compiles(m)) << opset;
    EXPECT_TRUE(oneError("opset " + std::to_string(opset) + " is not supported")) << opset;
  }
  auto none = model();
  none.clear_opset_import();
  value(none.mutable_graph()->add_input(), "x", {2});
  value(none.mutable_graph()->add_output(), "y", {2});
  node(none, "Relu", {"x"}, {"y"}, "r");
  EXPECT_FALSE(compiles(none));
  EXPECT_TRUE(oneError("imports no ai.onnx opset"));
}

TEST_F(DoorChecksTest, SubgraphsAreRefusedAndDeepNestingStopsAtTheParser) {
  // One level: a GRAPH attribute is reported like any unsupported attribute.
  auto m = model();
  value(m.mutable_graph()->add_input(), "x", {2});
  value(m.mutable_graph()->add_output(), "y", {2});
  auto *n = node(m, "Relu", {"x"}, {"y"}, "r");
  auto *body = n->add_attribute();
  body->set_name("body");
  body->set_type(AttributeProto::GRAPH);
  body->mutable_g()->set_name("inner");
  EXPECT_FALSE(compiles(m));
  EXPECT_TRUE(oneError("node 'r' (Relu, opset 13): attribute 'body'"));

  // 300 levels: refused by the parser's recursion limit with a clear message, no stack overflow.
  ::onnx::GraphProto *g = body->mutable_g();
  for (int i = 0; i < 300; ++i) {
    auto *inner = g->add_node();
    inner->set_op_type("If");
    auto *a = inner->add_attribute();
    a->set_name("then_branch");
    a->set_type(AttributeProto::GRAPH);
    g = a->mutable_g();
  }
  EXPECT_FALSE(compiles(m));
  EXPECT_TRUE(oneError("nest more than 64 levels deep"));
}

// --- found by fuzzing (test/fuzz/regressions replays the inputs; these check the messages) ----

TEST_F(DoorChecksTest, ReshapeToAShapeWhoseProductOverflows) {
  auto m = model();
  value(m.mutable_graph()->add_input(), "x", {2});
  value(m.mutable_graph()->add_output(), "y", {});
  auto *shape = m.mutable_graph()->add_initializer();
  shape->set_name("shape");
  shape->set_data_type(TensorProto::INT64);
  shape->add_dims(2);
  shape->add_int64_data(int64_t(1) << 62);
  shape->add_int64_data(4);
  node(m, "Reshape", {"x", "shape"}, {"y"}, "reshape");
  EXPECT_FALSE(compiles(m, {}, /*pipeline=*/true));
  EXPECT_TRUE(oneError("node 'reshape' (Reshape, opset 13)", "more elements than fit in 64 bits"));
}

TEST_F(DoorChecksTest, RMSNormalizationScaleMustBroadcast) {
  // A scale of higher rank than the normalised dims once crashed the linalg verifier.
  auto m = model(23);
  value(m.mutable_graph()->add_input(), "x", {2, 3});
  value(m.mutable_graph()->add_input(), "scale", {2, 3});
  value(m.mutable_graph()->add_output(), "y", {2, 3});
  node(m, "RMSNormalization", {"x", "scale"}, {"y"}, "rms");
  EXPECT_FALSE(compiles(m, {}, /*pipeline=*/true));
  EXPECT_TRUE(oneError("node 'rms' (RMSNormalization, opset 23)", "scale must broadcast"));
}

// --- external data ------------------------------------------------------------------------------

TEST_F(DoorChecksTest, ExternalDataStaysInsideTheModelFolder) {
  writeFile(root + "/outside.bin", 8);
  writeFile(folder + "/inside.bin", 8);
  auto refused = [&](const std::string &location, const std::string &why) {
    auto m = model();
    external(addWithWeight(m, {2}), {{"location", location}});
    EXPECT_FALSE(compiles(m)) << location;
    EXPECT_TRUE(oneError("initializer 'w': ", why)) << location;
  };
  refused(root + "/outside.bin", "is not a relative path");
  refused("../outside.bin", "leaves the model's folder");
  refused("sub/../../outside.bin", "leaves the model's folder");
  refused("", "external data has no location");
  // A symlink inside the folder that leads out of it.
  ASSERT_FALSE(llvm::sys::fs::create_link(root + "/outside.bin", folder + "/escape.bin"));
  refused("escape.bin", "resolves outside the model's folder");
  ASSERT_FALSE(llvm::sys::fs::create_link(root, folder + "/up"));
  refused("up/outside.bin", "resolves outside the model's folder");
  // A symlink that stays inside is fine.
  ASSERT_FALSE(llvm::sys::fs::create_link(folder + "/inside.bin", folder + "/alias.bin"));
  auto ok = model();
  external(addWithWeight(ok, {2}), {{"location", "alias.bin"}});
  EXPECT_TRUE(compiles(ok)) << (messages.empty() ? "" : messages[0]);
}

TEST_F(DoorChecksTest, ExternalDataOffsetAndLengthAgainstTheFileSize) {
  writeFile(folder + "/w.bin", 12);
  auto check = [&](std::vector<std::pair<std::string, std::string>> kv, const std::string &want) {
    auto m = model();
    external(addWithWeight(m, {2}), kv);
    EXPECT_FALSE(compiles(m)) << want;
    EXPECT_TRUE(oneError(want));
  };
  check({{"location", "w.bin"}, {"offset", "16"}}, "lies outside 'w.bin' (12 bytes)");
  check({{"location", "w.bin"}, {"offset", "8"}, {"length", "8"}}, "lies outside 'w.bin'");
  // offset + length overflows int64: still a clean message.
  check({{"location", "w.bin"}, {"offset", "4611686018427387904"}, {"length", "4611686018427387904"}},
        "lies outside 'w.bin'");
  check({{"location", "w.bin"}, {"offset", "-4"}}, "offset '-4' is not a non-negative integer");
  check({{"location", "w.bin"}, {"length", "8x"}}, "length '8x' is not a non-negative integer");
  check({{"location", "w.bin"}}, "holds 12 bytes of data, its shape needs 8");
  check({{"location", "missing.bin"}}, "cannot open external data file");

  // A huge declared shape is refused by --max-size before any byte is read.
  auto big = model();
  external(addWithWeight(big, {int64_t(1) << 34}), {{"location", "w.bin"}});
  EXPECT_FALSE(compiles(big));
  EXPECT_TRUE(oneError("initializer 'w': is larger than the limit of"));
}

} // namespace
