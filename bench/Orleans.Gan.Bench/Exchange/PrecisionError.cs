using Orleans.Gan.Core.Training;

namespace Orleans.Gan.Bench.Exchange;

/// <summary>How far gradients sent in <paramref name="Precision"/> move a dcgan64 run from the float32 one.</summary>
/// <param name="GradientError">‖mean of rounded − mean of exact‖ / ‖mean of exact‖ over both networks' gradients of two workers.</param>
/// <param name="WeightsVersusMovement">‖w − w_fp32‖ / ‖w_fp32 − w_0‖ after <paramref name="Steps"/> steps: the error relative to how far training moved.</param>
/// <param name="WeightsVersusWeights">‖w − w_fp32‖ / ‖w_fp32‖ after the same steps.</param>
public sealed record PrecisionError(WirePrecision Precision, double GradientError, double WeightsVersusMovement, double WeightsVersusWeights, int Steps);
