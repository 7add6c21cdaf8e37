namespace FeedbackHub.Data.ApiKeys;

/// <summary>What an API key may do.</summary>
public static class ApiScopes
{
    /// <summary>Push customers, orders and subscription events.</summary>
    public const string Ingest = "ingest";

    /// <summary>Read customers and the change feed.</summary>
    public const string Read = "read";

    public static IReadOnlyList<string> All { get; } = [Ingest, Read];
}
