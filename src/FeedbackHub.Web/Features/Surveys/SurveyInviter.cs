using FeedbackHub.Data;
using FeedbackHub.Data.Customers;
using FeedbackHub.Data.Surveys;
using FeedbackHub.Web.Features.Campaigns;
using FeedbackHub.Web.Features.Email;
using FeedbackHub.Web.Features.Email.Templates;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;

namespace FeedbackHub.Web.Features.Surveys;

/// <summary>What one invitation run did.</summary>
public sealed record InvitationRun(int Invited, int Skipped, int Reminded);

/// <summary>
/// Invites customers with an open churn event to the exit survey (one invitation per event) and
/// reminds them once. Every email goes through the outbox, so suppression, the fatigue cap and quiet
/// hours apply; a blocked invitation is kept with its reason and never retried.
/// </summary>
public sealed class SurveyInviter(
    AppDbContext db, Outbox outbox, EmailRenderer renderer, SurveyLinks links, TimeProvider time,
    IOptions<SurveyOptions> options, IOptions<EmailOptions> emailOptions)
{
    public const int BatchSize = 500;

    public async Task<InvitationRun> RunAsync(CancellationToken cancellationToken)
    {
        var (invited, skipped) = await InviteAsync(cancellationToken);
        var reminded = await RemindAsync(cancellationToken);
        return new InvitationRun(invited, skipped, reminded);
    }

    private async Task<(int Invited, int Skipped)> InviteAsync(CancellationToken cancellationToken)
    {
        var (invited, skipped) = (0, 0);
        while (true)
        {
            var now = time.GetUtcNow();
            var since = now.AddDays(-options.Value.InviteWithinDays);
            var events = await db.ChurnEvents.AsNoTracking().Include(e => e.Customer)
                .Where(e => e.WonBackAt == null && e.ChurnedAt >= since && !db.SurveyInvitations.Any(i => i.ChurnEventId == e.Id))
                .OrderBy(e => e.Id).Take(BatchSize).ToListAsync(cancellationToken);
            if (events.Count == 0)
            {
                return (invited, skipped);
            }

            var expires = now.AddDays(options.Value.ExpiryDays);
            var invitations = new List<SurveyInvitation>(events.Count);
            var emails = new List<CustomerEmail>(events.Count);
            foreach (var churn in events)
            {
                var customer = churn.Customer!;
                var (token, hash) = SurveyLinks.NewToken();
                invitations.Add(new SurveyInvitation
                {
                    ChurnEventId = churn.Id, CustomerId = customer.Id, TokenHash = hash,
                    Locale = renderer.LanguageFor(customer.Locale), CreatedAt = now, ExpiresAt = expires,
                });
                emails.Add(Email(customer, $"exit-survey:{churn.Id}", EmailTemplates.ExitSurvey, token, expires));
            }

            var results = await outbox.QueueToCustomersAsync(emails, cancellationToken);
            for (var i = 0; i < invitations.Count; i++)
            {
                invitations[i].SkipReason = results[i].Outcome == QueueOutcome.Skipped ? Truncate(results[i].Reason) : null;
                (invited, skipped) = invitations[i].SkipReason is null ? (invited + 1, skipped) : (invited, skipped + 1);
            }

            db.SurveyInvitations.AddRange(invitations);
            await db.SaveChangesAsync(cancellationToken);
            db.ChangeTracker.Clear();
        }
    }

    /// <summary>One reminder, with a second link, for invitations still unanswered after the configured days.</summary>
    private async Task<int> RemindAsync(CancellationToken cancellationToken)
    {
        var reminded = 0;
        while (true)
        {
            var now = time.GetUtcNow();
            var due = now.AddDays(-options.Value.ReminderAfterDays);
            // A reminder that would arrive in the link's last day is not worth sending.
            var stillOpen = now.AddDays(1);
            var invitations = await db.SurveyInvitations.Include(i => i.Customer)
                .Where(i => i.AnsweredAt == null && i.ReminderQueuedAt == null && i.SkipReason == null && i.CreatedAt <= due && i.ExpiresAt > stillOpen
                    && i.ChurnEvent!.WonBackAt == null)
                .OrderBy(i => i.Id).Take(BatchSize).ToListAsync(cancellationToken);
            if (invitations.Count == 0)
            {
                return reminded;
            }

            var emails = new List<CustomerEmail>(invitations.Count);
            foreach (var invitation in invitations)
            {
                var (token, hash) = SurveyLinks.NewToken();
                invitation.ReminderTokenHash = hash;
                invitation.ReminderQueuedAt = now;
                emails.Add(Email(invitation.Customer!, $"exit-survey-reminder:{invitation.Id}", EmailTemplates.ExitSurveyReminder, token, invitation.ExpiresAt));
            }

            var results = await outbox.QueueToCustomersAsync(emails, cancellationToken);
            reminded += results.Count(r => r.Outcome == QueueOutcome.Queued);
            await db.SaveChangesAsync(cancellationToken);
            db.ChangeTracker.Clear();
        }
    }

    private CustomerEmail Email(Customer customer, string key, EmailTemplate template, string token, DateTimeOffset expires)
    {
        var language = renderer.LanguageFor(customer.Locale);
        var zone = QuietHours.ZoneOrDefault(customer.TimeZone, emailOptions.Value.DefaultTimeZone);
        var values = new Dictionary<string, string>(StringComparer.Ordinal)
        {
            ["first_name"] = CustomerGreeting.FirstName(customer, language),
            ["shop"] = emailOptions.Value.FromName,
            ["expires"] = ThankYouRules.FormatLastDay(expires, zone, language),
            [EmailTemplate.ActionUrl] = links.Url(token),
        };
        return new CustomerEmail(customer, key, template, values, NotBefore: null);
    }

    private static string? Truncate(string? reason) =>
        reason is { Length: > FieldLengths.Source } ? reason[..FieldLengths.Source] : reason;
}
