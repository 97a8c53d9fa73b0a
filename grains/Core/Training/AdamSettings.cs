namespace Orleans.Gan.Core.Training;

/// <summary>Adam's hyper-parameters, with PyTorch's default epsilon.</summary>
public sealed record AdamSettings(double LearningRate, double Beta1, double Beta2, double Epsilon = 1e-8);
