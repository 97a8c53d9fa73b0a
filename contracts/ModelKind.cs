namespace Orleans.Gan.Contracts;

/// <summary>The model sizes a run can train; see the README for their layers.</summary>
[GenerateSerializer]
public enum ModelKind
{
    Dcgan64,
    Tutorial28,
}
