//===- Einsum.cpp - parsing and planning Einsum equations -----------------===//
//
// numpy.einsum semantics: labels are letters, `...` stands for broadcast
// leading dims, and without `->` the output is the ellipsis followed by the
// labels used once, in alphabetical order. A label repeated within one
// operand reads its diagonal.
//
//===----------------------------------------------------------------------===//
#include "ir/Einsum.h"

#include "llvm/ADT/STLExtras.h"

#include <algorithm>
#include <cctype>
#include <map>
#include <optional>

using namespace llvm;

namespace onnxc::onnx {
namespace {

/// A term's labels; '.' marks the ellipsis position (at most once).
std::optional<std::string> parseTerm(StringRef term, std::string &error) {
  std::string labels;
  bool ellipsis = false;
  for (size_t i = 0; i < term.size(); ++i) {
    char c = term[i];
    if (std::isalpha(static_cast<unsigned char>(c))) {
      labels.push_back(c);
    } else if (term.substr(i).starts_with("...") && !ellipsis) {
      labels.push_back('.');
      ellipsis = true;
      i += 2;
    } else {
      error = "equation term '" + term.str() + "' has an unexpected character";
      return std::nullopt;
    }
  }
  return labels;
}

} // namespace

std::optional<EinsumPlan> planEinsum(StringRef equation, ArrayRef<ArrayRef<int64_t>> shapes,
                                     std::string &error) {
  std::string compact;
  for (char c : equation)
    if (!std::isspace(static_cast<unsigned char>(c)))
      compact.push_back(c);
  StringRef eq(compact);
  auto [lhs, rhs] = eq.split("->");
  bool explicitOutput = eq.contains("->");
  SmallVector<StringRef> termTexts;
  lhs.split(termTexts, ',');
  if (termTexts.size() != shapes.size()) {
    error = "the equation has " + std::to_string(termTexts.size()) + " operand terms for " +
            std::to_string(shapes.size()) + " inputs";
    return std::nullopt;
  }
  SmallVector<std::string> terms;
  for (StringRef t : termTexts) {
    auto labels = parseTerm(t, error);
    if (!labels)
      return std::nullopt;
    terms.push_back(*labels);
  }
  // Label sizes, and the broadcast shape of the ellipsis dims.
  std::map<char, int64_t> sizes;
  std::map<char, int> uses;
  SmallVector<int64_t> ellipsisShape;
  for (auto [term, shape] : llvm::zip(terms, shapes)) {
    int64_t named = static_cast<int64_t>(llvm::count_if(term, [](char c) { return c != '.'; }));
    bool hasEllipsis = StringRef(term).contains('.');
    int64_t rank = static_cast<int64_t>(shape.size());
    if (hasEllipsis ? rank < named : rank != named) {
      error = "term '" + term + "' does not match an operand of rank " + std::to_string(rank);
      return std::nullopt;
    }
    int64_t ellipsisRank = rank - named, dim = 0;
    for (char c : term) {
      if (c == '.') {
        ArrayRef<int64_t> part = shape.slice(dim, ellipsisRank);
        if (part.size() > ellipsisShape.size())
          ellipsisShape.insert(ellipsisShape.begin(), part.size() - ellipsisShape.size(), 1);
        for (size_t i = 0; i < part.size(); ++i) {
          int64_t &target = ellipsisShape[ellipsisShape.size() - part.size() + i];
          if (target == 1)
            target = part[i];
          else if (part[i] != 1 && part[i] != target) {
            error = "the ellipsis dims of the operands do not broadcast";
            return std::nullopt;
          }
        }
        dim += ellipsisRank;
        continue;
      }
      auto [it, inserted] = sizes.try_emplace(c, shape[dim]);
      if (!inserted && it->second != shape[dim]) {
        error = std::string("label '") + c + "' has sizes " + std::to_string(it->second) + " and " +
                std::to_string(shape[dim]);
        return std::nullopt;
      }
      ++uses[c];
      ++dim;
    }
  }
  std::string output;
  if (explicitOutput) {
    auto labels = parseTerm(rhs, error);
    if (!labels)
      return std::nullopt;
    output = *labels;
    for (char c : output)
      if (c != '.' && !sizes.count(c)) {
        error = std::string("output label '") + c + "' is in no operand";
        return std::nullopt;
      }
  } else {
    if (!ellipsisShape.empty() || llvm::any_of(terms, [](const std::string &t) {
          return StringRef(t).contains('.');
        }))
      output.push_back('.');
    for (auto [c, n] : uses)
      if (n == 1)
        output.push_back(c);
  }

  EinsumPlan plan;
  std::map<char, int64_t> loopOf;
  int64_t ellipsisRank = static_cast<int64_t>(ellipsisShape.size()), ellipsisLoop = -1;
  for (char c : output) {
    if (c == '.') {
      ellipsisLoop = static_cast<int64_t>(plan.loopSizes.size());
      plan.loopSizes.append(ellipsisShape.begin(), ellipsisShape.end());
    } else {
      if (loopOf.count(c)) {
        error = std::string("output label '") + c + "' appears twice";
        return std::nullopt;
      }
      loopOf[c] = static_cast<int64_t>(plan.loopSizes.size());
      plan.loopSizes.push_back(sizes[c]);
    }
  }
  plan.numOutputLoops = static_cast<int64_t>(plan.loopSizes.size());
  // Summed loops: ellipsis dims missing from the output, then the labels.
  if (ellipsisLoop < 0 && ellipsisRank > 0) {
    ellipsisLoop = static_cast<int64_t>(plan.loopSizes.size());
    plan.loopSizes.append(ellipsisShape.begin(), ellipsisShape.end());
  }
  for (auto [c, size] : sizes)
    if (!loopOf.count(c)) {
      loopOf[c] = static_cast<int64_t>(plan.loopSizes.size());
      plan.loopSizes.push_back(size);
    }
  for (auto [term, shape] : llvm::zip(terms, shapes)) {
    SmallVector<int64_t> loops;
    int64_t named = static_cast<int64_t>(llvm::count_if(term, [](char c) { return c != '.'; }));
    int64_t own = static_cast<int64_t>(shape.size()) - named;
    for (char c : term) {
      if (c != '.') {
        loops.push_back(loopOf[c]);
        continue;
      }
      for (int64_t i = 0; i < own; ++i) {
        int64_t loop = ellipsisLoop + ellipsisRank - own + i;
        loops.push_back(shape[loops.size()] == 1 && plan.loopSizes[loop] != 1 ? -1 : loop);
      }
    }
    plan.operandLoops.push_back(std::move(loops));
  }
  return plan;
}

} // namespace onnxc::onnx
