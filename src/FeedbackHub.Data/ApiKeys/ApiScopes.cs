namespace FeedbackHub.Data.ApiKeys;

/// <summary>What an API key may do.</summary>
public static class ApiScopes
{
    /// <summary>Push customers, orders and subscription events.</summary>
    public const string Ingest = "ingest";

    /// <summary>Read customers and the change feed.</summary>
    public const string Read = "read";

    /// <summary>Create, change, pause and resume thank-you campaigns (automation).</summary>
    public const string Campaigns = "campaigns";

    public static IReadOnlyList<string> All { get; } = [Ingest, Read, Campaigns];
}
