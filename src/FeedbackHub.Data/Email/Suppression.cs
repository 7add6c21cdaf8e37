namespace FeedbackHub.Data.Email;

/// <summary>Which customer email a suppression stops: everything, or one purpose only (a preference).</summary>
public enum SuppressionScope
{
    /// <summary>No customer email at all (offers and surveys); staff account mail is never suppressed.</summary>
    All,
    Offers,
    Surveys,
}

public enum SuppressionReason
{
    /// <summary>The customer said no: one-click unsubscribe or the preferences page.</summary>
    Unsubscribed,

    /// <summary>The receiving server said the address does not exist (a 5.1.1-style reply).</summary>
    Bounced,

    /// <summary>The customer marked an email as spam, or complained to the shop.</summary>
    Complained,

    /// <summary>The customer's data was erased on request; the address is kept only as a keyed hash.</summary>
    Erased,
}

/// <summary>
/// An address FeedbackHub must not email (for <see cref="Scope"/>), with why and since when. Checked
/// when an email is queued and again just before it is sent.
/// </summary>
public sealed class Suppression
{
    public long Id { get; set; }

    /// <summary>
    /// The address, trimmed and lower-cased (see <see cref="Normalize"/>); for an erased customer only a
    /// keyed hash of it (<c>erased:…</c>), so the person is never emailed again yet their address is gone.
    /// </summary>
    public required string Address { get; set; }

    public SuppressionScope Scope { get; set; }

    public SuppressionReason Reason { get; set; }

    /// <summary>Where it came from, e.g. "one-click", "preferences page", "smtp: 550 5.1.1", "staff: ann@shop.nl".</summary>
    public string? Source { get; set; }

    public DateTimeOffset CreatedAt { get; set; }

    /// <summary>The form in which addresses are stored and compared.</summary>
    public static string Normalize(string address)
    {
        ArgumentNullException.ThrowIfNull(address);
        return address.Trim().ToLowerInvariant();
    }

    /// <summary>The scopes that stop an email of this purpose: the purpose's own and <see cref="SuppressionScope.All"/>.</summary>
    public static SuppressionScope[] ScopesStopping(EmailPurpose purpose) => purpose switch
    {
        EmailPurpose.Offer => [SuppressionScope.All, SuppressionScope.Offers],
        EmailPurpose.Survey => [SuppressionScope.All, SuppressionScope.Surveys],
        _ => [],
    };
}
