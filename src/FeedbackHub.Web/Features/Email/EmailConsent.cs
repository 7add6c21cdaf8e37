using System.Globalization;
using FeedbackHub.Data;
using FeedbackHub.Data.Customers;
using FeedbackHub.Data.Email;
using Microsoft.EntityFrameworkCore;
using FeedbackHub.Web.Features.Privacy;
using Microsoft.Extensions.Options;

namespace FeedbackHub.Web.Features.Email;

/// <summary>
/// The rules every customer-facing email obeys: marketing consent for offers, the suppression list,
/// the fatigue cap and quiet hours. Staff account mail (transactional) is exempt from all of them.
/// An address is suppressed in its plain form or, for an erased customer, as its keyed hash.
/// </summary>
public sealed class EmailConsent(AppDbContext db, IOptions<EmailOptions> options, IOptions<PrivacyOptions> privacy)
{
    public static readonly TimeSpan FatigueWindow = TimeSpan.FromDays(7);

    private readonly QuietHours _quietHours = QuietHours.From(options.Value.Consent);

    /// <summary>Why this customer must not get an email of this purpose now; null when it may be queued.</summary>
    public async Task<string?> BlockReasonAsync(Customer customer, EmailPurpose purpose, DateTimeOffset now, CancellationToken cancellationToken) =>
        (await BlockReasonsAsync([(customer, purpose)], now, cancellationToken))[0];

    /// <summary>
    /// <see cref="BlockReasonAsync"/> for many emails with one query per rule. Emails earlier in the
    /// list (and unsaved ones in this unit of work) count towards the fatigue cap of later ones.
    /// </summary>
    public async Task<string?[]> BlockReasonsAsync(
        IReadOnlyList<(Customer Customer, EmailPurpose Purpose)> emails, DateTimeOffset now, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(emails);
        var reasons = new string?[emails.Count];
        var customerFacing = emails.Where(e => e.Purpose != EmailPurpose.Transactional).ToList();
        if (customerFacing.Count == 0)
        {
            return reasons;
        }

        var addresses = customerFacing.SelectMany(e => StoredForms(e.Customer.Email)).Distinct().ToList();
        var suppressions = (await db.Suppressions.AsNoTracking()
                .Where(s => addresses.Contains(s.Address)).OrderBy(s => s.Id).ToListAsync(cancellationToken))
            .ToLookup(s => s.Address, StringComparer.Ordinal);
        var since = now - FatigueWindow;
        var customerIds = customerFacing.Select(e => e.Customer.Id).Distinct().ToList();
        // Only (CustomerId, CreatedAt) in SQL, so the planner uses that index; with the status in the
        // filter it chose the (Status, NotBefore) index and scanned every pending email.
        var recent = (await db.OutboxEmails
                .Where(e => e.CustomerId != null && EF.Parameter(customerIds).Contains(e.CustomerId.Value) && e.CreatedAt > since)
                .Select(e => new { CustomerId = e.CustomerId!.Value, e.Purpose, e.Status })
                .ToListAsync(cancellationToken))
            .Where(e => e.Purpose != EmailPurpose.Transactional && e.Status is OutboxStatus.Pending or OutboxStatus.Sent)
            .GroupBy(e => e.CustomerId)
            .ToDictionary(g => g.Key, g => g.Count());
        foreach (var unsaved in db.ChangeTracker.Entries<OutboxEmail>().Where(e => e.State == EntityState.Added).Select(e => e.Entity))
        {
            if (unsaved is { CustomerId: { } id, Status: OutboxStatus.Pending } && unsaved.Purpose != EmailPurpose.Transactional)
            {
                recent[id] = recent.GetValueOrDefault(id) + 1;
            }
        }

        var cap = options.Value.Consent.FatigueCap;
        for (var i = 0; i < emails.Count; i++)
        {
            var (customer, purpose) = emails[i];
            reasons[i] = purpose == EmailPurpose.Transactional ? null : Reason(customer, purpose);
        }

        return reasons;

        string? Reason(Customer customer, EmailPurpose purpose)
        {
            if (purpose == EmailPurpose.Offer && !customer.MarketingConsent)
            {
                return "no marketing consent";
            }

            if (purpose == EmailPurpose.Offer && string.IsNullOrWhiteSpace(options.Value.PostalAddress))
            {
                return "no sender postal address configured (Email:PostalAddress)";
            }

            var scopes = Suppression.ScopesStopping(purpose);
            if (StoredForms(customer.Email).SelectMany(form => suppressions[form]).FirstOrDefault(s => scopes.Contains(s.Scope)) is { } suppressed)
            {
                return Describe(suppressed);
            }

            var count = recent.GetValueOrDefault(customer.Id);
            if (count >= cap)
            {
                return $"fatigue cap: already {count} emails in the last 7 days (at most {cap})";
            }

            recent[customer.Id] = count + 1;
            return null;
        }
    }

    /// <summary>Why this address is suppressed for this purpose, e.g. "suppressed: Unsubscribed (Offers) on 2026-11-20 via one-click".</summary>
    public async Task<string?> SuppressionReasonAsync(string address, EmailPurpose purpose, CancellationToken cancellationToken)
    {
        var scopes = Suppression.ScopesStopping(purpose);
        if (scopes.Length == 0)
        {
            return null;
        }

        var forms = StoredForms(address);
        var found = await db.Suppressions.AsNoTracking()
            .Where(s => forms.Contains(s.Address) && scopes.Contains(s.Scope))
            .OrderBy(s => s.Id).FirstOrDefaultAsync(cancellationToken);
        return found is null ? null : Describe(found);
    }

    public static string Describe(Suppression suppression)
    {
        ArgumentNullException.ThrowIfNull(suppression);
        var date = suppression.CreatedAt.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture);
        return $"suppressed: {suppression.Reason} ({suppression.Scope}) on {date}{(suppression.Source is null ? "" : $" via {suppression.Source}")}";
    }

    /// <summary>The first moment at or after <paramref name="due"/> outside quiet hours in the recipient's zone.</summary>
    public DateTimeOffset NextAllowed(DateTimeOffset due, string? timeZone) =>
        _quietHours.NextAllowed(due, timeZone, options.Value.DefaultTimeZone);

    /// <summary>Adds the address to the suppression list for a scope (kept as it is when already there). The caller saves.</summary>
    public async Task SuppressAsync(string address, SuppressionScope scope, SuppressionReason reason, string source, DateTimeOffset now, CancellationToken cancellationToken)
    {
        var normalized = Suppression.Normalize(address);
        if (db.Suppressions.Local.Any(s => s.Address == normalized && s.Scope == scope)
            || await db.Suppressions.AnyAsync(s => s.Address == normalized && s.Scope == scope, cancellationToken))
        {
            return;
        }

        // An erased person's old unsubscribe link still works, but must not bring their address back.
        var erased = ErasedAddress.Of(normalized, privacy.Value.ErasurePepper);
        if (await db.Suppressions.AnyAsync(s => s.Address == erased && s.Scope == SuppressionScope.All, cancellationToken))
        {
            return;
        }

        db.Suppressions.Add(new Suppression
        {
            Address = normalized,
            Scope = scope,
            Reason = reason,
            Source = TextLimits.Truncate(source, 200),
            CreatedAt = now,
        });
    }

    /// <summary>
    /// What the customer chose on the preferences page: their own earlier unsubscriptions are
    /// replaced; bounces and complaints stay. Saves, in one transaction.
    /// </summary>
    public async Task SetPreferencesAsync(string address, bool offers, bool surveys, DateTimeOffset now, CancellationToken cancellationToken)
    {
        await using var transaction = await db.Database.BeginTransactionAsync(cancellationToken);
        var normalized = Suppression.Normalize(address);
        var own = await db.Suppressions.Where(s => s.Address == normalized && s.Reason == SuppressionReason.Unsubscribed).ToListAsync(cancellationToken);
        db.Suppressions.RemoveRange(own);
        await db.SaveChangesAsync(cancellationToken);
        if (!offers && !surveys)
        {
            await SuppressAsync(normalized, SuppressionScope.All, SuppressionReason.Unsubscribed, "preferences page", now, cancellationToken);
        }
        else if (!offers)
        {
            await SuppressAsync(normalized, SuppressionScope.Offers, SuppressionReason.Unsubscribed, "preferences page", now, cancellationToken);
        }

        else if (!surveys)
        {
            await SuppressAsync(normalized, SuppressionScope.Surveys, SuppressionReason.Unsubscribed, "preferences page", now, cancellationToken);
        }

        await db.SaveChangesAsync(cancellationToken);
        await transaction.CommitAsync(cancellationToken);
    }

    /// <summary>Which purposes this address still gets (for the preferences page).</summary>
    public async Task<(bool Offers, bool Surveys)> PreferencesAsync(string address, CancellationToken cancellationToken)
    {
        var forms = StoredForms(address);
        var scopes = await db.Suppressions.Where(s => forms.Contains(s.Address)).Select(s => s.Scope).ToListAsync(cancellationToken);
        var all = scopes.Contains(SuppressionScope.All);
        return (!all && !scopes.Contains(SuppressionScope.Offers), !all && !scopes.Contains(SuppressionScope.Surveys));
    }

    /// <summary>The forms in which the suppression list may hold an address: plain, and hashed after an erasure.</summary>
    public string[] StoredForms(string address)
    {
        var normalized = Suppression.Normalize(address);
        return [normalized, ErasedAddress.Of(normalized, privacy.Value.ErasurePepper)];
    }
}
