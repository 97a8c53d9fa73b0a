namespace Orleans.Gan.Grains.Exchange;

/// <summary>How buffers bound for another silo travel.</summary>
public enum BulkRoute
{
    /// <summary>On a TCP connection of their own between the silos (<see cref="BulkSocketServer"/>), at close to the
    /// wire's speed. Not encrypted: not for clusters with TLS.</summary>
    Socket,

    /// <summary>Inside the Orleans message that carries the ticket: slower, but encrypted whenever Orleans' traffic is.</summary>
    Orleans,
}
