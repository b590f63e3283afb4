//===- HeaderEmitterTest.cpp - the generated model.h ----------------------===//
#include "codegen/header/HeaderEmitter.h"

#include <gtest/gtest.h>

using namespace onnxc;

namespace {

ModelSignature mlpSignature() {
  ModelSignature sig;
  sig.name = "mlp";
  sig.inputs.push_back({"x", 1, {1, 64}, 256});
  sig.outputs.push_back({"probs", 1, {1, 10}, 40});
  sig.workspaceSize = 4096;
  return sig;
}

TEST(HeaderEmitter, DeclaresTheDocumentedABI) {
  std::string h = emitHeader(mlpSignature());
  EXPECT_NE(h.find("#define MLP_WORKSPACE_SIZE 4096u"), std::string::npos) << h;
  EXPECT_NE(h.find("#define MLP_WORKSPACE_ALIGN 64u"), std::string::npos) << h;
  EXPECT_NE(h.find("int mlp_run(const float *x /* [1,64] */, float *probs /* [1,10] */, void *workspace);"),
            std::string::npos) << h;
  EXPECT_NE(h.find("int mlp_run_v(const void *const *inputs, void *const *outputs, void *workspace);"),
            std::string::npos) << h;
  EXPECT_NE(h.find("extern const onnxc_model_info mlp_info;"), std::string::npos) << h;
  EXPECT_NE(h.find("#include <onnxc/runtime.h>"), std::string::npos) << h;
}

TEST(HeaderEmitter, ParameterNamesAreUniqueCIdentifiers) {
  ModelSignature sig = mlpSignature();
  sig.inputs = {{"input:0", 1, {1}, 4}, {"input/0", 1, {1}, 4}, {"int", 7, {2}, 16}};
  std::string h = emitHeader(sig);
  EXPECT_NE(h.find("const float *input_0 /* [1] */, const float *input_0_2 /* [1] */, "
                   "const int64_t *int_ /* [2] */"),
            std::string::npos) << h;
}

TEST(HeaderEmitter, CIdentifier) {
  EXPECT_EQ(toCIdentifier("a.b-c"), "a_b_c");
  EXPECT_EQ(toCIdentifier("0x"), "_0x");
  EXPECT_EQ(toCIdentifier(""), "_");
}

} // namespace
