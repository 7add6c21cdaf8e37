using System.Globalization;
using FeedbackHub.Data;
using FeedbackHub.Data.Auditing;
using FeedbackHub.Data.Customers;
using FeedbackHub.Data.Email;
using FeedbackHub.Web.Features.Auditing;
using FeedbackHub.Web.Features.Email;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;

namespace FeedbackHub.Web.Features.Privacy;

public enum ErasureOutcome
{
    Erased,

    /// <summary>Erased before: nothing changed (erasure is idempotent).</summary>
    AlreadyErased,
    NotFound,
}

/// <summary>What an erasure did; the counts say how many rows lost personal data.</summary>
public sealed record ErasureResult(ErasureOutcome Outcome, long? CustomerId, int EmailsCancelled = 0, int EmailsEmptied = 0, int AnswersEmptied = 0);

/// <summary>
/// A customer's GDPR requests: export everything held about them, and erase them. Erasure anonymises
/// in place (ids, amounts, dates and chosen reasons stay, so every figure stays the same), cancels
/// emails still waiting, and keeps the address on the suppression list as a keyed hash only.
/// </summary>
public sealed class CustomerPrivacy(AppDbContext db, EmailConsent consent, AuditTrail audit, IOptions<PrivacyOptions> options, TimeProvider time)
{
    /// <summary>Stands for an erased customer in the audit log, where their address appeared before.</summary>
    public static string AuditMarker(long customerId) => $"[erased customer {customerId}]";

    public static string Target(long customerId) => $"customer:{customerId}";

    /// <summary>The customer's data, or null when there is no such customer; the export itself is audited.</summary>
    public async Task<CustomerDataExport?> ExportAsync(Actor actor, long customerId, CancellationToken cancellationToken)
    {
        var customer = await db.Customers.AsNoTracking().SingleOrDefaultAsync(c => c.Id == customerId, cancellationToken);
        return customer is null ? null : await ExportAsync(actor, customer, cancellationToken);
    }

    /// <summary>The same, by the shop's id.</summary>
    public async Task<CustomerDataExport?> ExportAsync(Actor actor, string externalId, CancellationToken cancellationToken)
    {
        var customer = await db.Customers.AsNoTracking().SingleOrDefaultAsync(c => c.ExternalId == externalId, cancellationToken);
        return customer is null ? null : await ExportAsync(actor, customer, cancellationToken);
    }

    public async Task<ErasureResult> EraseAsync(Actor actor, long customerId, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(actor);
        return await EraseAsync(actor, c => c.Id == customerId, cancellationToken);
    }

    /// <summary>
    /// Erases by the shop's id. Asked again for the same id, it finds the erased row by the hash its id
    /// was replaced with, and answers <see cref="ErasureOutcome.AlreadyErased"/>.
    /// </summary>
    public async Task<ErasureResult> EraseAsync(Actor actor, string externalId, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(actor);
        ArgumentNullException.ThrowIfNull(externalId);
        var result = await EraseAsync(actor, c => c.ExternalId == externalId, cancellationToken);
        if (result.Outcome != ErasureOutcome.NotFound)
        {
            return result;
        }

        var erasedId = ErasedAddress.ExternalIdOf(externalId, options.Value.ErasurePepper);
        var earlier = await db.Customers.AsNoTracking()
            .Where(c => c.ExternalId == erasedId || c.ExternalId.StartsWith(erasedId + "-")).OrderBy(c => c.Id).Select(c => (long?)c.Id)
            .FirstOrDefaultAsync(cancellationToken);
        return earlier is null ? result : new ErasureResult(ErasureOutcome.AlreadyErased, earlier);
    }

    private async Task<CustomerDataExport> ExportAsync(Actor actor, Customer customer, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(actor);
        var export = await CustomerDataReader.ReadAsync(db, consent, customer, time.GetUtcNow(), cancellationToken);
        await audit.RecordAsync(actor, AuditActions.CustomerExported, Target(customer.Id),
            string.Create(CultureInfo.InvariantCulture, $"{export.Orders.Count} orders, {export.Emails.Count} emails, {export.SurveyInvitations.Count} survey invitations"),
            cancellationToken);
        return export;
    }

    /// <summary>All of it in one transaction: a failure half-way leaves the customer exactly as they were.</summary>
    private async Task<ErasureResult> EraseAsync(Actor actor, System.Linq.Expressions.Expression<Func<Customer, bool>> which, CancellationToken cancellationToken)
    {
        var now = time.GetUtcNow();
        var pepper = options.Value.ErasurePepper;
        await using var transaction = await db.Database.BeginTransactionAsync(cancellationToken);
        var customer = await db.Customers.SingleOrDefaultAsync(which, cancellationToken);
        if (customer is null)
        {
            return new ErasureResult(ErasureOutcome.NotFound, null);
        }

        if (ErasedAddress.IsPlaceholder(customer.Email))
        {
            return new ErasureResult(ErasureOutcome.AlreadyErased, customer.Id);
        }

        var id = customer.Id;
        var address = customer.Email;
        var normalized = Suppression.Normalize(address);
        var placeholder = ErasedAddress.Placeholder(id);

        // Never emailed again: every plain entry for the address gives way to one hashed entry for all email.
        await db.Suppressions.Where(s => s.Address == normalized).ExecuteDeleteAsync(cancellationToken);
        var hashed = ErasedAddress.Of(normalized, pepper);
        if (!await db.Suppressions.AnyAsync(s => s.Address == hashed && s.Scope == SuppressionScope.All, cancellationToken))
        {
            db.Suppressions.Add(new Suppression
            {
                Address = hashed, Scope = SuppressionScope.All, Reason = SuppressionReason.Erased, Source = Target(id), CreatedAt = now,
            });
        }

        var theirs = CustomerDataReader.EmailsOf(db, id, address, normalized);
        var cancelled = await theirs.Where(e => e.Status == OutboxStatus.Pending).ExecuteUpdateAsync(s => s
            .SetProperty(e => e.Status, OutboxStatus.Skipped)
            .SetProperty(e => e.LastError, "cancelled: the customer was erased")
            .SetProperty(e => e.LeaseOwner, (string?)null)
            .SetProperty(e => e.LeaseUntil, (DateTimeOffset?)null), cancellationToken);
        // The rows stay (the figures count emails per campaign and customer); who they went to and what they said do not.
        var emptied = await theirs.ExecuteUpdateAsync(s => s
            .SetProperty(e => e.ToAddress, placeholder)
            .SetProperty(e => e.ToName, (string?)null)
            .SetProperty(e => e.Subject, "")
            .SetProperty(e => e.HtmlBody, "")
            .SetProperty(e => e.TextBody, "")
            .SetProperty(e => e.ListUnsubscribeUrl, (string?)null), cancellationToken);

        // The chosen reason and the labels stay for the churn figures; the words and the n-grams taken from them go.
        var answers = await db.SurveyResponses.Where(r => r.CustomerId == id)
            .ExecuteUpdateAsync(s => s.SetProperty(r => r.Comment, "").SetProperty(r => r.PredictionExplanation, (string?)null), cancellationToken);
        // A survey link in an old email must not collect new words about them.
        await db.SurveyInvitations.Where(i => i.CustomerId == id && i.AnsweredAt == null && i.ExpiresAt > now)
            .ExecuteUpdateAsync(s => s.SetProperty(i => i.ExpiresAt, now), cancellationToken);

        // Earlier audit entries named the address (suppressions, retried emails).
        var marker = AuditMarker(id);
        foreach (var form in new[] { address, normalized }.Distinct(StringComparer.Ordinal))
        {
            await db.AuditLog.Where(a => a.Target != null && a.Target.Contains(form))
                .ExecuteUpdateAsync(s => s.SetProperty(a => a.Target, a => a.Target!.Replace(form, marker)), cancellationToken);
            await db.AuditLog.Where(a => a.Details != null && a.Details.Contains(form))
                .ExecuteUpdateAsync(s => s.SetProperty(a => a.Details, a => a.Details!.Replace(form, marker)), cancellationToken);
        }

        var erasedId = ErasedAddress.ExternalIdOf(customer.ExternalId, pepper);
        // The same shop id erased before (sent again and erased again) already holds the plain hash.
        customer.ExternalId = await db.Customers.AnyAsync(c => c.ExternalId == erasedId, cancellationToken) ? $"{erasedId}-{id}" : erasedId;
        customer.Email = placeholder;
        customer.FirstName = null;
        customer.LastName = null;
        customer.MarketingConsent = false;
        customer.MarketingConsentSource = "erased";
        customer.MarketingConsentAt = now;
        customer.UpdatedAt = now;
        var result = new ErasureResult(ErasureOutcome.Erased, id, cancelled, emptied, answers);
        audit.Add(actor, AuditActions.CustomerErased, Target(id), string.Create(CultureInfo.InvariantCulture,
            $"{cancelled} pending emails cancelled, {emptied} emails emptied, {answers} survey answers emptied; address kept as a hash on the suppression list"));
        await db.SaveChangesAsync(cancellationToken);
        await transaction.CommitAsync(cancellationToken);
        return result;
    }
}
