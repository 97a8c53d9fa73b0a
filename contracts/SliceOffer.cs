namespace Orleans.Gan.Contracts;

/// <summary>A slice's new values after its step, offered by one of its holders for the other silos to gather.</summary>
[GenerateSerializer, Immutable]
public sealed record SliceOffer([property: Id(0)] int Slice, [property: Id(1)] BulkTicket Values);
