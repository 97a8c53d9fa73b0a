namespace Orleans.Gan.Grains.Exchange;

/// <summary>How buffers bound for another silo travel.</summary>
public enum BulkRoute
{
    /// <summary>On a TCP connection of their own between the silos (<see cref="BulkSocketServer"/>), at close to the
    /// wire's speed; mutual TLS with the cluster's certificate where the cluster has one (<see cref="BulkTls"/>).</summary>
    Socket,

    /// <summary>Inside the Orleans message that carries the ticket: several times slower, for networks where the silos
    /// can open no port beside Orleans' own.</summary>
    Orleans,
}
