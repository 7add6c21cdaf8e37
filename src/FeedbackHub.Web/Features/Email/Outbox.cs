using System.Net.Mail;
using FeedbackHub.Data;
using FeedbackHub.Data.Email;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;

namespace FeedbackHub.Web.Features.Email;

/// <summary>An email to queue; <see cref="IdempotencyKey"/> names what it is about, so it is queued once.</summary>
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
    string? ListUnsubscribeUrl = null);

/// <summary>
/// Queues emails in the caller's unit of work: the row is stored exactly when the change that
/// caused it is stored, and the dispatcher sends it afterwards.
/// </summary>
public sealed class Outbox(AppDbContext db, TimeProvider time, IOptions<EmailOptions> options)
{
    /// <summary>Adds the email unless its key is already queued; true when added. The caller saves.</summary>
    public async Task<bool> QueueAsync(QueuedEmail email, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(email);
        if (db.OutboxEmails.Local.Any(e => e.IdempotencyKey == email.IdempotencyKey)
            || await db.OutboxEmails.AnyAsync(e => e.IdempotencyKey == email.IdempotencyKey, cancellationToken))
        {
            return false;
        }

        var now = time.GetUtcNow();
        db.OutboxEmails.Add(new OutboxEmail
        {
            IdempotencyKey = email.IdempotencyKey,
            MessageId = $"{Guid.NewGuid():N}@{new MailAddress(options.Value.FromAddress).Host}",
            Purpose = email.Purpose,
            Status = OutboxStatus.Pending,
            ToAddress = email.ToAddress,
            ToName = email.ToName,
            CustomerId = email.CustomerId,
            Subject = email.Subject,
            HtmlBody = email.HtmlBody,
            TextBody = email.TextBody,
            ListUnsubscribeUrl = email.ListUnsubscribeUrl,
            CreatedAt = now,
            NotBefore = email.NotBefore ?? now,
        });
        return true;
    }
}
