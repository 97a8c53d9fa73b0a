namespace Orleans.Gan.Data;

/// <summary>A data set that cannot be used as given: missing, empty, or with a malformed partition file.</summary>
public sealed class DatasetException : Exception
{
    public DatasetException(string message)
        : base(message)
    {
    }

    public DatasetException(string message, Exception innerException)
        : base(message, innerException)
    {
    }
}
