using System.Net.Mail;
using FeedbackHub.Data;
using FeedbackHub.Data.Customers;
using FeedbackHub.Data.Email;
using FeedbackHub.Web.Features.Email.Templates;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;

namespace FeedbackHub.Web.Features.Email;

/// <summary>A rendered email to queue; <see cref="IdempotencyKey"/> names what it is about, so it is queued once.</summary>
public sealed record QueuedEmail(
    string IdempotencyKey,
    EmailPurpose Purpose,
    string ToAddress,
    string? ToName,
    string Subject,
    string HtmlBody,
    string TextBody,
    DateTimeOffset? NotBefore = null,
    long? CustomerId = null,
    string? ListUnsubscribeUrl = null)
{
    public string? TimeZone { get; init; }

    public string? Template { get; init; }

    public string? Locale { get; init; }

    /// <summary>When set, the row is stored as <see cref="OutboxStatus.Skipped"/> with this reason, so it is counted and shown.</summary>
    public string? SkipReason { get; init; }
}

/// <summary>An email for a customer: a template, its values, and blocks this email words differently (e.g. an A/B variant's intro).</summary>
public sealed record CustomerEmail(
    Customer Customer, string IdempotencyKey, EmailTemplate Template, IReadOnlyDictionary<string, string> Values, DateTimeOffset? NotBefore)
{
    public IReadOnlyDictionary<string, string>? TextOverrides { get; init; }
}

public enum QueueOutcome
{
    Queued,

    /// <summary>Stored but not to be sent: consent, suppression or the fatigue cap said no.</summary>
    Skipped,

    /// <summary>An email with this idempotency key already exists; nothing changed.</summary>
    AlreadyQueued,
}

public sealed record QueueResult(QueueOutcome Outcome, string? Reason = null);

/// <summary>
/// Queues emails in the caller's unit of work: the row is stored exactly when the change that
/// caused it is stored, and the dispatcher sends it afterwards.
/// </summary>
public sealed class Outbox(
    AppDbContext db,
    TimeProvider time,
    IOptions<EmailOptions> options,
    EmailRenderer renderer,
    EmailConsent consent,
    UnsubscribeLinks unsubscribeLinks)
{
    /// <summary>
    /// Renders a template for a customer in their language and queues it, applying every consent
    /// rule; a blocked email is stored as skipped with the reason. The caller saves.
    /// </summary>
    public async Task<QueueResult> QueueToCustomerAsync(
        Customer customer, string idempotencyKey, EmailTemplate template, IReadOnlyDictionary<string, string> values,
        DateTimeOffset? notBefore, CancellationToken cancellationToken) =>
        (await QueueToCustomersAsync([new CustomerEmail(customer, idempotencyKey, template, values, notBefore)], cancellationToken))[0];

    /// <summary>
    /// <see cref="QueueToCustomerAsync"/> for many emails at once: one query per consent rule and one
    /// HTML renderer for the lot, so a large import can thank every customer. The caller saves.
    /// </summary>
    public async Task<QueueResult[]> QueueToCustomersAsync(IReadOnlyList<CustomerEmail> emails, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(emails);
        var results = new QueueResult[emails.Count];
        var keys = emails.Select(e => e.IdempotencyKey).ToList();
        var existing = (await db.OutboxEmails.Where(e => keys.Contains(e.IdempotencyKey)).Select(e => e.IdempotencyKey).ToListAsync(cancellationToken))
            .Concat(db.OutboxEmails.Local.Select(e => e.IdempotencyKey))
            .ToHashSet(StringComparer.Ordinal);
        var fresh = new List<int>(emails.Count);
        for (var i = 0; i < emails.Count; i++)
        {
            if (existing.Add(emails[i].IdempotencyKey))
            {
                fresh.Add(i);
            }
            else
            {
                results[i] = new(QueueOutcome.AlreadyQueued);
            }
        }

        var now = time.GetUtcNow();
        var blocked = await consent.BlockReasonsAsync([.. fresh.Select(i => (emails[i].Customer, emails[i].Template.Purpose))], now, cancellationToken);
        await using var session = renderer.OpenSession();
        for (var f = 0; f < fresh.Count; f++)
        {
            var (customer, idempotencyKey, template, values, notBefore) = emails[fresh[f]];
            var unsubscribeUrl = template.Purpose == EmailPurpose.Transactional ? null : unsubscribeLinks.For(customer.Email);
            var rendered = await session.RenderAsync(template, customer.Locale, values, unsubscribeUrl, emails[fresh[f]].TextOverrides, cancellationToken);
            var name = string.Join(' ', new[] { customer.FirstName, customer.LastName }.Where(n => !string.IsNullOrWhiteSpace(n)));
            Add(new QueuedEmail(
                idempotencyKey, template.Purpose, customer.Email, name.Length == 0 ? null : name, rendered.Subject, rendered.Html, rendered.Text,
                consent.NextAllowed(notBefore ?? now, customer.TimeZone), customer.Id, unsubscribeUrl)
            {
                TimeZone = customer.TimeZone,
                Template = template.Key,
                Locale = rendered.Locale,
                SkipReason = blocked[f],
            });
            results[fresh[f]] = blocked[f] is null ? new(QueueOutcome.Queued) : new(QueueOutcome.Skipped, blocked[f]);
        }

        return results;
    }

    /// <summary>Renders and queues account mail for a staff member: no consent rules, no quiet hours. The caller saves.</summary>
    public async Task<QueueResult> QueueToStaffAsync(
        string address, string? name, string idempotencyKey, EmailTemplate template, IReadOnlyDictionary<string, string> values, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(template);
        if (template.Purpose != EmailPurpose.Transactional)
        {
            throw new ArgumentException($"Staff get account mail only; '{template.Key}' is {template.Purpose}.", nameof(template));
        }

        if (await ExistsAsync(idempotencyKey, cancellationToken))
        {
            return new(QueueOutcome.AlreadyQueued);
        }

        var rendered = await renderer.RenderAsync(template, options.Value.DefaultLocale, values, unsubscribeUrl: null, cancellationToken);
        Add(new QueuedEmail(idempotencyKey, EmailPurpose.Transactional, address, name, rendered.Subject, rendered.Html, rendered.Text)
        {
            Template = template.Key,
            Locale = rendered.Locale,
        });
        return new(QueueOutcome.Queued);
    }

    /// <summary>Adds an already rendered email unless its key is already queued; true when added. The caller saves.</summary>
    public async Task<bool> QueueAsync(QueuedEmail email, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(email);
        if (await ExistsAsync(email.IdempotencyKey, cancellationToken))
        {
            return false;
        }

        Add(email);
        return true;
    }

    private async Task<bool> ExistsAsync(string idempotencyKey, CancellationToken cancellationToken) =>
        db.OutboxEmails.Local.Any(e => e.IdempotencyKey == idempotencyKey)
        || await db.OutboxEmails.AnyAsync(e => e.IdempotencyKey == idempotencyKey, cancellationToken);

    private void Add(QueuedEmail email)
    {
        var now = time.GetUtcNow();
        db.OutboxEmails.Add(new OutboxEmail
        {
            IdempotencyKey = email.IdempotencyKey,
            MessageId = $"{Guid.NewGuid():N}@{new MailAddress(options.Value.FromAddress).Host}",
            Purpose = email.Purpose,
            Status = email.SkipReason is null ? OutboxStatus.Pending : OutboxStatus.Skipped,
            LastError = email.SkipReason,
            ToAddress = email.ToAddress,
            ToName = email.ToName,
            CustomerId = email.CustomerId,
            TimeZone = email.TimeZone,
            Template = email.Template,
            Locale = email.Locale,
            Subject = email.Subject,
            HtmlBody = email.HtmlBody,
            TextBody = email.TextBody,
            ListUnsubscribeUrl = email.ListUnsubscribeUrl,
            CreatedAt = now,
            NotBefore = email.NotBefore ?? now,
        });
    }
}
