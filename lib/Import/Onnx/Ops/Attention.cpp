//===- Attention.cpp - Import of ONNX attention and its building blocks ---===//
//
// Attention (opset 23) and RMSNormalization (opset 23) are defined by ONNX as
// functions of simpler ops; the importer expands them into those tamp ops,
// following the function bodies (and the reference implementation the node
// tests were generated with), so that every later pass sees plain matmuls,
// softmaxes and elementwise ops.
//
//===----------------------------------------------------------------------===//

#include "NodeImporter.h"
#include "OpRegistry.h"

#include "tamp/Dialect/Tamp/IR/TampTypeInference.h"

#include "onnx-ml.pb.h"

#include "llvm/ADT/Sequence.h"

#include <cmath>
#include <limits>

using namespace mlir;

namespace tamp {
namespace {

RankedTensorType typeOf(Value value) { return NodeImporter::typeOf(value); }

//===----------------------------------------------------------------------===//
// RMSNormalization
//===----------------------------------------------------------------------===//

/// Y = Cast(X * 1/sqrt(mean(X^2 over axis..) + epsilon)) * scale, with the
/// statistics computed in stash_type.
LogicalResult importRMSNormalization(NodeImporter &node) {
  if (failed(node.checkInputCount(2, 2)))
    return failure();
  FailureOr<Value> input = node.input(0), scale = node.input(1);
  FailureOr<int64_t> axis = node.attrInt("axis", -1);
  FailureOr<float> epsilon = node.attrFloat("epsilon", 1e-5f);
  FailureOr<int64_t> stashCode = node.attrInt("stash_type", 1);
  if (failed(input) || failed(scale) || failed(axis) || failed(epsilon) ||
      failed(stashCode))
    return failure();
  int64_t rank = typeOf(*input).getRank();
  FailureOr<int64_t> normalized = normalizeAxis(node.loc(), *axis, rank);
  if (failed(normalized))
    return failure();
  FailureOr<Type> stashType = node.elementTypeOf(*stashCode);
  if (failed(stashType))
    return failure();
  if (!isa<FloatType>(*stashType))
    return node.emitError()
           << "attribute 'stash_type' must name a float type, got "
           << *stashType;
  Type elementType = typeOf(*input).getElementType();
  SmallVector<int64_t> axes =
      llvm::to_vector(llvm::seq<int64_t>(*normalized, rank));

  FailureOr<Value> stashed = node.castTo(*input, *stashType);
  if (failed(stashed))
    return failure();
  FailureOr<Value> squared = node.build<MulOp>(*stashed, *stashed);
  if (failed(squared))
    return failure();
  FailureOr<Value> meanSquare =
      node.build<ReduceMeanOp>(*squared, axes, /*keepdims=*/true);
  if (failed(meanSquare))
    return failure();
  FailureOr<Value> shifted =
      node.build<AddOp>(*meanSquare, node.constantScalar(*stashType, *epsilon));
  if (failed(shifted))
    return failure();
  FailureOr<Value> rms = node.build<SqrtOp>(*shifted);
  if (failed(rms))
    return failure();
  FailureOr<Value> inverse = node.build<ReciprocalOp>(*rms);
  if (failed(inverse))
    return failure();
  FailureOr<Value> normalizedInput = node.build<MulOp>(*stashed, *inverse);
  if (failed(normalizedInput))
    return failure();
  FailureOr<Value> narrowed = node.castTo(*normalizedInput, elementType);
  if (failed(narrowed))
    return failure();
  return node.setSingleResult(node.build<MulOp>(*narrowed, *scale));
}

//===----------------------------------------------------------------------===//
// Attention
//===----------------------------------------------------------------------===//

/// The attributes of an Attention node, validated.
struct AttentionAttrs {
  bool isCausal = false;
  int64_t qNumHeads = 0;
  int64_t kvNumHeads = 0;
  int64_t qkOutputMode = 0;
  std::optional<float> scale;
  float softcap = 0.0f;
  std::optional<Type> softmaxType;
  /// Sliding window bounds (opset 24); -1 leaves a side unbounded.
  int64_t leftWindow = -1;
  int64_t rightWindow = -1;
};

FailureOr<AttentionAttrs> readAttentionAttrs(NodeImporter &node) {
  AttentionAttrs attrs;
  FailureOr<bool> isCausal = node.attrBool("is_causal", false);
  FailureOr<int64_t> qNumHeads = node.attrInt("q_num_heads", 0);
  FailureOr<int64_t> kvNumHeads = node.attrInt("kv_num_heads", 0);
  FailureOr<int64_t> mode = node.attrInt("qk_matmul_output_mode", 0);
  FailureOr<float> softcap = node.attrFloat("softcap", 0.0f);
  FailureOr<int64_t> leftWindow = node.attrInt("left_window_size", -1);
  FailureOr<int64_t> rightWindow = node.attrInt("right_window_size", -1);
  if (failed(isCausal) || failed(qNumHeads) || failed(kvNumHeads) ||
      failed(mode) || failed(softcap) || failed(leftWindow) ||
      failed(rightWindow))
    return failure();
  if (*leftWindow < -1 || *rightWindow < -1)
    return node.emitError() << "attributes 'left_window_size' and "
                               "'right_window_size' must be -1 or "
                               "non-negative, got "
                            << *leftWindow << " and " << *rightWindow;
  attrs.leftWindow = *leftWindow;
  attrs.rightWindow = *rightWindow;
  if (*mode < 0 || *mode > 3)
    return node.emitError()
           << "attribute 'qk_matmul_output_mode' must be in [0, 3], got "
           << *mode;
  if (*softcap < 0.0f)
    return node.emitError()
           << "attribute 'softcap' must be non-negative, got " << *softcap;
  if (*qNumHeads < 0 || *kvNumHeads < 0)
    return node.emitError()
           << "attributes 'q_num_heads' and 'kv_num_heads' must be positive";
  attrs.isCausal = *isCausal;
  attrs.qNumHeads = *qNumHeads;
  attrs.kvNumHeads = *kvNumHeads;
  attrs.qkOutputMode = *mode;
  attrs.softcap = *softcap;
  if (node.hasAttr("scale")) {
    FailureOr<float> scale = node.attrFloat("scale");
    if (failed(scale))
      return failure();
    attrs.scale = *scale;
  }
  if (node.hasAttr("softmax_precision")) {
    FailureOr<Type> type = node.attrElementType("softmax_precision");
    if (failed(type))
      return failure();
    if (!isa<FloatType>(*type))
      return node.emitError()
             << "attribute 'softmax_precision' must name a float type, got "
             << *type;
    attrs.softmaxType = *type;
  }
  return attrs;
}

/// [B, S, heads * H] -> [B, heads, S, H].
FailureOr<Value> splitHeads(NodeImporter &node, Value value, int64_t heads) {
  int64_t hidden = typeOf(value).getDimSize(2);
  if (!ShapedType::isDynamic(hidden) && hidden % heads != 0)
    return node.emitError() << "hidden size " << hidden
                            << " is not a multiple of the head count " << heads;
  FailureOr<Value> split =
      node.build<ReshapeOp>(value, node.constantI64({0, 0, heads, -1}), false);
  if (failed(split))
    return failure();
  return node.build<TransposeOp>(*split, ArrayRef<int64_t>{0, 2, 1, 3});
}

/// Repeats each of the heads of a [B, kvHeads, S, H] tensor `repeats` times
/// in place (numpy.repeat on axis 1), for grouped-query attention.
FailureOr<Value> repeatHeads(NodeImporter &node, Value value, int64_t repeats) {
  if (repeats == 1)
    return value;
  FailureOr<Value> widened =
      node.build<UnsqueezeOp>(value, ArrayRef<int64_t>{2});
  if (failed(widened))
    return failure();
  FailureOr<Value> tiled =
      node.build<TileOp>(*widened, node.constantI64({1, 1, repeats, 1, 1}));
  if (failed(tiled))
    return failure();
  // Reshape's 0 copies the dimension at the same index of the 5-D input, so
  // only the batch can be copied; one of sequence and head size must be
  // static for the other to be inferred.
  RankedTensorType type = typeOf(value);
  int64_t heads = type.getDimSize(1) * repeats;
  int64_t sequence = type.getDimSize(2), headSize = type.getDimSize(3);
  if (ShapedType::isDynamic(sequence) && ShapedType::isDynamic(headSize))
    return node.emitError() << "grouped-query attention needs a static "
                               "sequence length or head size";
  SmallVector<int64_t> shape =
      ShapedType::isDynamic(headSize)
          ? SmallVector<int64_t>{0, heads, sequence, -1}
          : SmallVector<int64_t>{0, heads, -1, headSize};
  return node.build<ReshapeOp>(*tiled, node.constantI64(shape), false);
}

/// The additive positional bias [Sq, Skv] of causal and sliding-window
/// attention: 0 where query i (at absolute position p = i + offset) may
/// attend key j, -inf elsewhere. Causal allows j <= p; the window allows
/// p - left <= j <= p + right for each bound that is not -1.
FailureOr<Value> positionalBias(NodeImporter &node, Type elementType,
                                int64_t querySize, int64_t keySize,
                                int64_t offset, const AttentionAttrs &attrs) {
  if (ShapedType::isDynamic(querySize) || ShapedType::isDynamic(keySize) ||
      ShapedType::isDynamic(offset))
    return node.emitError() << "causal or windowed attention needs static "
                               "query, key and past sequence lengths";
  auto floatType = cast<FloatType>(elementType);
  auto type = RankedTensorType::get({querySize, keySize}, elementType);
  APFloat zero = APFloat::getZero(floatType.getFloatSemantics());
  APFloat negInf = APFloat::getInf(floatType.getFloatSemantics(), true);
  SmallVector<APFloat> values;
  values.reserve(querySize * keySize);
  for (int64_t i = 0; i < querySize; ++i)
    for (int64_t j = 0; j < keySize; ++j) {
      int64_t distance = i + offset - j;
      bool allowed = (!attrs.isCausal || distance >= 0) &&
                     (attrs.leftWindow < 0 || distance <= attrs.leftWindow) &&
                     (attrs.rightWindow < 0 || -distance <= attrs.rightWindow);
      values.push_back(allowed ? zero : negInf);
    }
  return node.constant(DenseElementsAttr::get(type, values));
}

/// The additive bias [B, 1, Sq, Skv] of an external cache holding
/// `validLengths[b]` valid keys per batch: keys at or past the valid length
/// are masked, and the causal frontier and window of query i sit at absolute
/// position p = i + validLengths[b] - Sq.
FailureOr<Value> validLengthBias(NodeImporter &node, Value validLengths,
                                 Type elementType, int64_t querySize,
                                 int64_t keySize, const AttentionAttrs &attrs) {
  if (ShapedType::isDynamic(querySize) || ShapedType::isDynamic(keySize))
    return node.emitError() << "nonpad_kv_seqlen needs static query and key "
                               "sequence lengths";
  if (typeOf(validLengths).getRank() != 1)
    return node.emitError()
           << "nonpad_kv_seqlen must be 1-D, got " << typeOf(validLengths);
  FailureOr<Value> lengths =
      node.castTo(validLengths, node.builder().getI64Type());
  if (failed(lengths))
    return failure();
  lengths =
      node.build<ReshapeOp>(*lengths, node.constantI64({-1, 1, 1, 1}), false);
  if (failed(lengths))
    return failure();
  // i - j - Sq for every (i, j); adding the lengths gives p - j.
  auto i64 = node.builder().getI64Type();
  SmallVector<int64_t> offsets, keys;
  for (int64_t i = 0; i < querySize; ++i)
    for (int64_t j = 0; j < keySize; ++j)
      offsets.push_back(i - j - querySize);
  for (int64_t j = 0; j < keySize; ++j)
    keys.push_back(j);
  Value offsetGrid = node.constant(
      DenseElementsAttr::get(RankedTensorType::get({querySize, keySize}, i64),
                             ArrayRef<int64_t>(offsets)));
  Value keyIndices = node.constant(DenseElementsAttr::get(
      RankedTensorType::get({keySize}, i64), ArrayRef<int64_t>(keys)));
  FailureOr<Value> allowed = node.build<LessOp>(keyIndices, *lengths);
  if (failed(allowed))
    return failure();
  FailureOr<Value> distance = node.build<AddOp>(offsetGrid, *lengths);
  if (failed(distance))
    return failure();
  auto restrict = [&](FailureOr<Value> condition) -> LogicalResult {
    if (failed(condition))
      return failure();
    allowed = node.build<AndOp>(*allowed, *condition);
    return failure(failed(allowed));
  };
  if (attrs.isCausal &&
      failed(restrict(node.build<GreaterEqualOp>(
          *distance, node.constantI64({0}, /*scalar=*/true)))))
    return failure();
  if (attrs.leftWindow >= 0 &&
      failed(restrict(node.build<LessEqualOp>(
          *distance, node.constantI64({attrs.leftWindow}, /*scalar=*/true)))))
    return failure();
  if (attrs.rightWindow >= 0 &&
      failed(restrict(node.build<GreaterEqualOp>(
          *distance, node.constantI64({-attrs.rightWindow}, /*scalar=*/true)))))
    return failure();
  return node.build<WhereOp>(
      *allowed, node.constantScalar(elementType, 0.0),
      node.constantScalar(elementType,
                          -std::numeric_limits<double>::infinity()));
}

/// attn_mask as an additive bias in `elementType`: boolean masks become
/// 0 / -inf.
FailureOr<Value> maskBias(NodeImporter &node, Value mask, Type elementType) {
  Type maskElement = typeOf(mask).getElementType();
  if (maskElement.isInteger(1))
    return node.build<WhereOp>(
        mask, node.constantScalar(elementType, 0.0),
        node.constantScalar(elementType,
                            -std::numeric_limits<double>::infinity()));
  if (!isa<FloatType>(maskElement))
    return node.emitError()
           << "attn_mask must be bool or float, got " << maskElement;
  return node.castTo(mask, elementType);
}

LogicalResult importAttention(NodeImporter &node) {
  if (failed(node.checkInputCount(3, 7)))
    return failure();
  FailureOr<Value> query = node.input(0), key = node.input(1),
                   value = node.input(2);
  Value mask, pastKey, pastValue;
  if (failed(query) || failed(key) || failed(value) ||
      failed(node.readOptionalInput(3, mask)) ||
      failed(node.readOptionalInput(4, pastKey)) ||
      failed(node.readOptionalInput(5, pastValue)))
    return failure();
  Value validLengths;
  if (failed(node.readOptionalInput(6, validLengths)))
    return failure();
  if (validLengths && pastKey)
    return node.emitError()
           << "nonpad_kv_seqlen cannot be combined with past_key/past_value";
  if (bool(pastKey) != bool(pastValue))
    return node.emitError() << "past_key and past_value must be given together";
  FailureOr<AttentionAttrs> attrs = readAttentionAttrs(node);
  if (failed(attrs))
    return failure();

  Type elementType = typeOf(*query).getElementType();
  if (!isa<FloatType>(elementType))
    return node.emitError()
           << "Q must be a float tensor, got " << typeOf(*query);
  int64_t rank = typeOf(*query).getRank();
  if ((rank != 3 && rank != 4) || typeOf(*key).getRank() != rank ||
      typeOf(*value).getRank() != rank)
    return node.emitError() << "Q, K and V must all be 3-D or all be 4-D";

  Value q = *query, k = *key, v = *value;
  if (rank == 3) {
    if (attrs->qNumHeads == 0 || attrs->kvNumHeads == 0)
      return node.emitError() << "3-D inputs need attributes 'q_num_heads' "
                                 "and 'kv_num_heads'";
    FailureOr<Value> qHeads = splitHeads(node, q, attrs->qNumHeads);
    if (failed(qHeads))
      return failure();
    FailureOr<Value> kHeads = splitHeads(node, k, attrs->kvNumHeads);
    if (failed(kHeads))
      return failure();
    FailureOr<Value> vHeads = splitHeads(node, v, attrs->kvNumHeads);
    if (failed(vHeads))
      return failure();
    q = *qHeads;
    k = *kHeads;
    v = *vHeads;
  }

  // The cache: present = concat(past, new) along the sequence axis.
  int64_t pastLength = 0;
  if (pastKey) {
    pastLength = typeOf(pastKey).getDimSize(2);
    FailureOr<Value> presentKey =
        node.build<ConcatOp>(ValueRange{pastKey, k}, int64_t(2));
    if (failed(presentKey))
      return failure();
    FailureOr<Value> presentValue =
        node.build<ConcatOp>(ValueRange{pastValue, v}, int64_t(2));
    if (failed(presentValue))
      return failure();
    k = *presentKey;
    v = *presentValue;
  }
  node.setResult(1, k);
  node.setResult(2, v);

  int64_t qHeads = typeOf(q).getDimSize(1);
  int64_t kvHeads = typeOf(k).getDimSize(1);
  if (ShapedType::isDynamic(qHeads) || ShapedType::isDynamic(kvHeads))
    return node.emitError() << "head counts must be static";
  if (qHeads % kvHeads != 0)
    return node.emitError()
           << "the query head count " << qHeads
           << " is not a multiple of the key/value head count " << kvHeads;
  FailureOr<Value> repeatedK = repeatHeads(node, k, qHeads / kvHeads);
  if (failed(repeatedK))
    return failure();
  FailureOr<Value> repeatedV = repeatHeads(node, v, qHeads / kvHeads);
  if (failed(repeatedV))
    return failure();

  // Both Q and K^T are scaled by sqrt(scale), as in the function body.
  double scale;
  if (attrs->scale) {
    scale = *attrs->scale;
  } else {
    int64_t headSize = typeOf(q).getDimSize(3);
    if (ShapedType::isDynamic(headSize))
      return node.emitError()
             << "the head size must be static when 'scale' is not given";
    scale = 1.0 / std::sqrt(double(headSize));
  }
  Value sqrtScale = node.constantScalar(elementType, std::sqrt(scale));
  FailureOr<Value> scaledQ = node.build<MulOp>(q, sqrtScale);
  if (failed(scaledQ))
    return failure();
  FailureOr<Value> keyT =
      node.build<TransposeOp>(*repeatedK, ArrayRef<int64_t>{0, 1, 3, 2});
  if (failed(keyT))
    return failure();
  FailureOr<Value> scaledKeyT = node.build<MulOp>(*keyT, sqrtScale);
  if (failed(scaledKeyT))
    return failure();
  FailureOr<Value> scores = node.build<MatMulOp>(*scaledQ, *scaledKeyT);
  if (failed(scores))
    return failure();

  if (attrs->softcap > 0.0f) {
    Value cap = node.constantScalar(elementType, attrs->softcap);
    FailureOr<Value> divided = node.build<DivOp>(*scores, cap);
    if (failed(divided))
      return failure();
    FailureOr<Value> squashed = node.build<TanhOp>(*divided);
    if (failed(squashed))
      return failure();
    scores = node.build<MulOp>(*squashed, cap);
    if (failed(scores))
      return failure();
  }
  Value rawScores = *scores;

  // The additive bias: the mask, plus the causal frontier.
  Value bias;
  if (mask) {
    int64_t maskLength = typeOf(mask).getShape().back();
    int64_t totalLength = typeOf(k).getDimSize(2);
    if (!ShapedType::isDynamic(maskLength) &&
        !ShapedType::isDynamic(totalLength) && maskLength > totalLength)
      return node.emitError()
             << "attn_mask's last dimension (" << maskLength
             << ") exceeds the total sequence length (" << totalLength << ")";
    FailureOr<Value> masked = maskBias(node, mask, elementType);
    if (failed(masked))
      return failure();
    // A mask shorter than the keys masks the keys it does not cover.
    if (maskLength != totalLength) {
      RankedTensorType maskType = typeOf(*masked);
      if (!maskType.hasStaticShape() || ShapedType::isDynamic(totalLength))
        return node.emitError() << "attn_mask shorter than the total sequence "
                                   "length needs static shapes";
      SmallVector<int64_t> padShape(maskType.getShape());
      padShape.back() = totalLength - maskLength;
      auto padType = RankedTensorType::get(padShape, elementType);
      Value padding = node.constant(DenseElementsAttr::get(
          padType,
          APFloat::getInf(cast<FloatType>(elementType).getFloatSemantics(),
                          /*Negative=*/true)));
      masked = node.build<ConcatOp>(ValueRange{*masked, padding},
                                    int64_t(maskType.getRank() - 1));
      if (failed(masked))
        return failure();
    }
    bias = *masked;
  }
  if (validLengths) {
    FailureOr<Value> padding = validLengthBias(node, validLengths, elementType,
                                               typeOf(q).getDimSize(2),
                                               typeOf(k).getDimSize(2), *attrs);
    if (failed(padding))
      return failure();
    if (bias) {
      FailureOr<Value> combined = node.build<AddOp>(bias, *padding);
      if (failed(combined))
        return failure();
      bias = *combined;
    } else {
      bias = *padding;
    }
  } else if (attrs->isCausal || attrs->leftWindow >= 0 ||
             attrs->rightWindow >= 0) {
    FailureOr<Value> causal =
        positionalBias(node, elementType, typeOf(q).getDimSize(2),
                       typeOf(k).getDimSize(2), pastLength, *attrs);
    if (failed(causal))
      return failure();
    if (bias) {
      FailureOr<Value> combined = node.build<AddOp>(bias, *causal);
      if (failed(combined))
        return failure();
      bias = *combined;
    } else {
      bias = *causal;
    }
  }
  if (bias) {
    scores = node.build<AddOp>(*scores, bias);
    if (failed(scores))
      return failure();
  }
  Value biasedScores = *scores;

  Value softmaxInput = biasedScores;
  if (attrs->softmaxType) {
    FailureOr<Value> widened = node.castTo(softmaxInput, *attrs->softmaxType);
    if (failed(widened))
      return failure();
    softmaxInput = *widened;
  }
  FailureOr<Value> probabilities =
      node.build<SoftmaxOp>(softmaxInput, int64_t(3));
  if (failed(probabilities))
    return failure();
  probabilities = node.castTo(*probabilities, elementType);
  if (failed(probabilities))
    return failure();
  // Rows whose bias masks every key attend nothing: their softmax is 0/0,
  // which ONNX defines as zero probabilities.
  if (bias) {
    int64_t biasRank = typeOf(bias).getRank();
    FailureOr<Value> rowMax = node.build<ReduceMaxOp>(
        bias, ArrayRef<int64_t>{biasRank - 1}, /*keepdims=*/true);
    if (failed(rowMax))
      return failure();
    FailureOr<Value> fullyMasked = node.build<EqualOp>(
        *rowMax, node.constantScalar(elementType,
                                     -std::numeric_limits<double>::infinity()));
    if (failed(fullyMasked))
      return failure();
    probabilities = node.build<WhereOp>(
        *fullyMasked, node.constantScalar(elementType, 0.0), *probabilities);
    if (failed(probabilities))
      return failure();
  }

  if (node.hasOutput(3)) {
    Value qkOutput = attrs->qkOutputMode == 3   ? *probabilities
                     : attrs->qkOutputMode == 2 ? biasedScores
                                                : rawScores;
    node.setResult(3, qkOutput);
  }

  FailureOr<Value> output = node.build<MatMulOp>(*probabilities, *repeatedV);
  if (failed(output))
    return failure();
  if (rank == 3) {
    output = node.build<TransposeOp>(*output, ArrayRef<int64_t>{0, 2, 1, 3});
    if (failed(output))
      return failure();
    output =
        node.build<ReshapeOp>(*output, node.constantI64({0, 0, -1}), false);
    if (failed(output))
      return failure();
  }
  node.setResult(0, *output);
  return success();
}

//===----------------------------------------------------------------------===//
// RotaryEmbedding
//===----------------------------------------------------------------------===//

/// value[..., start:end:step] along the last axis of a 4-D tensor.
FailureOr<Value> sliceLastAxis(NodeImporter &node, Value value, int64_t start,
                               int64_t end, int64_t step = 1) {
  return node.build<SliceOp>(value, node.constantI64({start}),
                             node.constantI64({end}), node.constantI64({3}),
                             node.constantI64({step}));
}

/// Rotates the first rotary_embedding_dim features of each head by the
/// (position-gathered) cos/sin caches, pairing halves or, when interleaved,
/// even and odd features; the rest pass through.
LogicalResult importRotaryEmbedding(NodeImporter &node) {
  if (failed(node.checkInputCount(3, 4)))
    return failure();
  FailureOr<Value> input = node.input(0), cosCache = node.input(1),
                   sinCache = node.input(2);
  Value positions;
  FailureOr<bool> interleaved = node.attrBool("interleaved", false);
  FailureOr<int64_t> numHeads = node.attrInt("num_heads", 0);
  FailureOr<int64_t> rotaryDimAttr = node.attrInt("rotary_embedding_dim", 0);
  if (failed(input) || failed(cosCache) || failed(sinCache) ||
      failed(node.readOptionalInput(3, positions)) || failed(interleaved) ||
      failed(numHeads) || failed(rotaryDimAttr))
    return failure();
  int64_t rank = typeOf(*input).getRank();
  if (rank != 3 && rank != 4)
    return node.emitError() << "input must be 3-D or 4-D, got rank " << rank;
  if (*numHeads < 0 || *rotaryDimAttr < 0)
    return node.emitError() << "attributes 'num_heads' and "
                               "'rotary_embedding_dim' must be non-negative";

  // Work on [B, S, heads, H].
  FailureOr<Value> heads;
  if (rank == 4) {
    heads = node.build<TransposeOp>(*input, ArrayRef<int64_t>{0, 2, 1, 3});
  } else {
    if (*numHeads == 0)
      return node.emitError() << "3-D input needs attribute 'num_heads'";
    heads = node.build<ReshapeOp>(
        *input, node.constantI64({0, 0, *numHeads, -1}), false);
  }
  if (failed(heads))
    return failure();
  int64_t headSize = typeOf(*heads).getDimSize(3);
  int64_t rotaryDim = *rotaryDimAttr ? *rotaryDimAttr : headSize;
  if (ShapedType::isDynamic(rotaryDim))
    return node.emitError() << "the head size must be static when "
                               "'rotary_embedding_dim' is not given";
  if (rotaryDim % 2 != 0 ||
      (!ShapedType::isDynamic(headSize) && rotaryDim > headSize))
    return node.emitError()
           << "rotary_embedding_dim " << rotaryDim
           << " must be even and at most the head size " << headSize;
  int64_t half = rotaryDim / 2;

  Value cosine = *cosCache, sine = *sinCache;
  if (positions) {
    FailureOr<Value> gatheredCos =
        node.build<GatherOp>(cosine, positions, int64_t(0));
    if (failed(gatheredCos))
      return failure();
    FailureOr<Value> gatheredSin =
        node.build<GatherOp>(sine, positions, int64_t(0));
    if (failed(gatheredSin))
      return failure();
    cosine = *gatheredCos;
    sine = *gatheredSin;
  }
  for (Value cache : {cosine, sine}) {
    int64_t last = typeOf(cache).getShape().back();
    if (!ShapedType::isDynamic(last) && last != half)
      return node.emitError()
             << "the cos/sin caches' last dimension (" << last
             << ") must be rotary_embedding_dim / 2 (" << half << ")";
  }
  FailureOr<Value> cos4 = node.build<UnsqueezeOp>(cosine, ArrayRef<int64_t>{2});
  if (failed(cos4))
    return failure();
  FailureOr<Value> sin4 = node.build<UnsqueezeOp>(sine, ArrayRef<int64_t>{2});
  if (failed(sin4))
    return failure();

  FailureOr<Value> first = *interleaved
                               ? sliceLastAxis(node, *heads, 0, rotaryDim, 2)
                               : sliceLastAxis(node, *heads, 0, half);
  if (failed(first))
    return failure();
  FailureOr<Value> second = *interleaved
                                ? sliceLastAxis(node, *heads, 1, rotaryDim, 2)
                                : sliceLastAxis(node, *heads, half, rotaryDim);
  if (failed(second))
    return failure();

  // real = cos * x1 - sin * x2, imag = sin * x1 + cos * x2.
  FailureOr<Value> cosFirst = node.build<MulOp>(*cos4, *first);
  FailureOr<Value> sinSecond = node.build<MulOp>(*sin4, *second);
  FailureOr<Value> sinFirst = node.build<MulOp>(*sin4, *first);
  FailureOr<Value> cosSecond = node.build<MulOp>(*cos4, *second);
  if (failed(cosFirst) || failed(sinSecond) || failed(sinFirst) ||
      failed(cosSecond))
    return failure();
  FailureOr<Value> real = node.build<SubOp>(*cosFirst, *sinSecond);
  FailureOr<Value> imag = node.build<AddOp>(*sinFirst, *cosSecond);
  if (failed(real) || failed(imag))
    return failure();

  FailureOr<Value> rotated;
  if (*interleaved) {
    FailureOr<Value> realPairs =
        node.build<UnsqueezeOp>(*real, ArrayRef<int64_t>{4});
    FailureOr<Value> imagPairs =
        node.build<UnsqueezeOp>(*imag, ArrayRef<int64_t>{4});
    if (failed(realPairs) || failed(imagPairs))
      return failure();
    FailureOr<Value> pairs =
        node.build<ConcatOp>(ValueRange{*realPairs, *imagPairs}, int64_t(4));
    if (failed(pairs))
      return failure();
    rotated = node.build<ReshapeOp>(
        *pairs, node.constantI64({0, 0, 0, rotaryDim}), false);
  } else {
    rotated = node.build<ConcatOp>(ValueRange{*real, *imag}, int64_t(3));
  }
  if (failed(rotated))
    return failure();

  if (ShapedType::isDynamic(headSize) || rotaryDim < headSize) {
    FailureOr<Value> passThrough = sliceLastAxis(
        node, *heads, rotaryDim, std::numeric_limits<int64_t>::max());
    if (failed(passThrough))
      return failure();
    rotated =
        node.build<ConcatOp>(ValueRange{*rotated, *passThrough}, int64_t(3));
    if (failed(rotated))
      return failure();
  }

  if (rank == 4)
    return node.setSingleResult(
        node.build<TransposeOp>(*rotated, ArrayRef<int64_t>{0, 2, 1, 3}));
  return node.setSingleResult(
      node.build<ReshapeOp>(*rotated, node.constantI64({0, 0, -1}), false));
}

} // namespace

void registerAttentionOps(OpRegistry &registry) {
  registry.add("", "Attention", importAttention);
  registry.add("", "RMSNormalization", importRMSNormalization);
  registry.add("", "RotaryEmbedding", importRotaryEmbedding);
}

} // namespace tamp
