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

    /// <summary>
    /// Export or erase one customer's personal data (GDPR requests). Apart from <see cref="Read"/>: an
    /// export holds emails and free-text answers, and an erasure cannot be undone.
    /// </summary>
    public const string Privacy = "privacy";

    public static IReadOnlyList<string> All { get; } = [Ingest, Read, Campaigns, Privacy];
}
