using FeedbackHub.Data.Subscriptions;

namespace FeedbackHub.Web.Features.Ingest;

/// <summary>What happened to one incoming item.</summary>
public enum IngestOutcome
{
    Inserted,
    Updated,
    Unchanged,
    Rejected,
}

/// <summary>One problem with one field, named by its path in the request (e.g. <c>items[3].email</c>).</summary>
public sealed record FieldError(string Path, string Message);

/// <summary>The answer for one item of a request or one row of a file.</summary>
public sealed record IngestItemResult(int Index, string? Key, IngestOutcome Outcome, IReadOnlyList<FieldError> Errors);

/// <summary>
/// A customer as a shop sends it. Optional fields left out (null) keep what is stored (or take the
/// default for a new customer); an empty name clears it.
/// </summary>
public sealed record CustomerInput
{
    public string? ExternalId { get; init; }

    public string? Email { get; init; }

    public string? FirstName { get; init; }

    public string? LastName { get; init; }

    /// <summary><c>nl</c> or <c>en</c>; default <c>en</c> for a new customer.</summary>
    public string? Locale { get; init; }

    /// <summary>IANA time zone, e.g. <c>Europe/Amsterdam</c> (the default for a new customer).</summary>
    public string? TimeZone { get; init; }

    public bool? MarketingConsent { get; init; }

    /// <summary>Where consent was given or withdrawn; defaults to the channel (<c>api</c>, <c>csv-import</c>).</summary>
    public string? MarketingConsentSource { get; init; }

    /// <summary>When consent was given or withdrawn; defaults to the time of receipt.</summary>
    public DateTimeOffset? MarketingConsentAt { get; init; }
}

/// <summary>An order as a shop sends it; every field is replaced on update.</summary>
public sealed record OrderInput
{
    public string? ExternalId { get; init; }

    public string? CustomerExternalId { get; init; }

    public DateTimeOffset? PlacedAt { get; init; }

    /// <summary>Amount paid after discounts, at most four decimals.</summary>
    public decimal? Total { get; init; }

    /// <summary>ISO 4217 code such as <c>EUR</c>.</summary>
    public string? Currency { get; init; }

    public string? DiscountCode { get; init; }

    public int? ItemCount { get; init; }
}

/// <summary>A subscription change; events are immutable, so a replay of an event id changes nothing.</summary>
public sealed record SubscriptionEventInput
{
    public string? EventId { get; init; }

    public string? CustomerExternalId { get; init; }

    /// <summary><c>started</c>, <c>paused</c>, <c>resumed</c> or <c>cancelled</c>.</summary>
    public string? Kind { get; init; }

    public DateTimeOffset? OccurredAt { get; init; }
}

/// <summary>A validated customer, ready to store.</summary>
internal sealed record CustomerRecord(
    string ExternalId, string Email, string? FirstName, string? LastName, string? Locale, string? TimeZone,
    bool? MarketingConsent, string ConsentSource, DateTimeOffset ConsentAt);

internal sealed record OrderRecord(
    string ExternalId, string CustomerExternalId, DateTimeOffset PlacedAt, decimal Total, string Currency, string? DiscountCode, int ItemCount);

internal sealed record SubscriptionEventRecord(string EventId, string CustomerExternalId, SubscriptionEventKind Kind, DateTimeOffset OccurredAt);
