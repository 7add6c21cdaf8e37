namespace FeedbackHub.Data.Customers;

/// <summary>A shop's customer, identified by the shop's own id.</summary>
public sealed class Customer : IChangeTracked
{
    public long Id { get; set; }

    /// <summary>The shop's id for this customer; unique across the installation.</summary>
    public required string ExternalId { get; set; }

    public required string Email { get; set; }

    public string? FirstName { get; set; }

    public string? LastName { get; set; }

    /// <summary>Language for customer-facing text: one of <see cref="CustomerLocales.All"/>.</summary>
    public string Locale { get; set; } = CustomerLocales.English;

    /// <summary>IANA time zone id, used for quiet hours and local dates.</summary>
    public string TimeZone { get; set; } = "Europe/Amsterdam";

    public bool MarketingConsent { get; set; }

    /// <summary>Where the consent (or its withdrawal) was given, e.g. "checkout", "csv-import", "api".</summary>
    public string? MarketingConsentSource { get; set; }

    public DateTimeOffset? MarketingConsentAt { get; set; }

    /// <summary>Support flagged this customer as not worth a retention offer (e.g. repeated complaints); campaigns can exclude them.</summary>
    public bool FlaggedBySupport { get; set; }

    public DateTimeOffset CreatedAt { get; set; }

    /// <summary>
    /// When they became a customer: their first order or subscription event; null before either. Kept
    /// by the database (triggers on orders and subscription events), never written by the app, so that
    /// retention counts customers by an indexed column instead of aggregating every order.
    /// </summary>
    public DateTimeOffset? AcquiredAt { get; set; }

    public DateTimeOffset UpdatedAt { get; set; }

    public List<Orders.Order> Orders { get; } = [];

    public List<Subscriptions.SubscriptionEvent> SubscriptionEvents { get; } = [];
}
