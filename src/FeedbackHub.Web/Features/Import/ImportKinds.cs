namespace FeedbackHub.Web.Features.Import;

public enum ImportKind
{
    Customers,
    Orders,
    SubscriptionEvents,
}

/// <summary>The documented columns of each kind of file; header names match case-insensitively.</summary>
public sealed record ImportColumns(IReadOnlyList<string> Required, IReadOnlyList<string> Optional)
{
    public IEnumerable<string> All => Required.Concat(Optional);

    public static ImportColumns For(ImportKind kind) => kind switch
    {
        ImportKind.Customers => new(["external_id", "email"], ["first_name", "last_name", "locale", "time_zone", "marketing_consent", "marketing_consent_source", "marketing_consent_at"]),
        ImportKind.Orders => new(["external_id", "customer_external_id", "placed_at", "total", "currency"], ["discount_code", "item_count"]),
        _ => new(["event_id", "customer_external_id", "kind", "occurred_at"], []),
    };

    /// <summary>The kind named on the command line or in a form: customers, orders, subscription-events.</summary>
    public static bool TryParseKind(string? value, out ImportKind kind)
    {
        (var ok, kind) = value?.Trim().ToLowerInvariant() switch
        {
            "customers" => (true, ImportKind.Customers),
            "orders" => (true, ImportKind.Orders),
            "subscription-events" or "subscription_events" => (true, ImportKind.SubscriptionEvents),
            _ => (false, ImportKind.Customers),
        };
        return ok;
    }

    public static string Name(ImportKind kind) => kind switch
    {
        ImportKind.Customers => "customers",
        ImportKind.Orders => "orders",
        _ => "subscription-events",
    };
}
