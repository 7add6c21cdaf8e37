using FeedbackHub.Data;
using FeedbackHub.Data.Campaigns;
using FeedbackHub.Data.Churn;
using FeedbackHub.Data.Email;
using FeedbackHub.Data.Subscriptions;
using FeedbackHub.Data.Surveys;
using FeedbackHub.Web.Features.Email;
using Microsoft.EntityFrameworkCore;

namespace FeedbackHub.Web.Features.Privacy;

/// <summary>
/// Everything FeedbackHub holds about one customer (a GDPR access or portability request), as one JSON
/// document: the same shape from the customer page's download and from the API.
/// </summary>
public sealed record CustomerDataExport(
    DateTimeOffset ExportedAt,
    ExportedCustomer Customer,
    ExportedConsent Consent,
    ExportedSuppression Suppression,
    IReadOnlyList<ExportedOrder> Orders,
    IReadOnlyList<ExportedSubscriptionEvent> SubscriptionEvents,
    IReadOnlyList<ExportedDiscountCode> DiscountCodes,
    IReadOnlyList<ExportedEmail> Emails,
    IReadOnlyList<ExportedChurnEvent> ChurnEvents,
    IReadOnlyList<ExportedSurveyInvitation> SurveyInvitations,
    IReadOnlyList<ExportedCampaignAssignment> CampaignAssignments,
    IReadOnlyList<ExportedThankYou> ThankYous);

public sealed record ExportedCustomer(long Id, string ExternalId, string Email, string? FirstName, string? LastName, string Locale, string TimeZone,
    bool FlaggedBySupport, bool Erased, DateTimeOffset CreatedAt, DateTimeOffset? AcquiredAt, DateTimeOffset UpdatedAt);

/// <summary>Marketing consent as last reported, with where and when it was given or withdrawn.</summary>
public sealed record ExportedConsent(bool MarketingConsent, string? Source, DateTimeOffset? RecordedAt);

/// <summary>Whether offers and surveys may be emailed, and the suppression entries that decide it.</summary>
public sealed record ExportedSuppression(bool OffersSuppressed, bool SurveysSuppressed, IReadOnlyList<ExportedSuppressionEntry> Entries);

public sealed record ExportedSuppressionEntry(SuppressionScope Scope, SuppressionReason Reason, string? Source, DateTimeOffset CreatedAt, bool Hashed);

public sealed record ExportedOrder(string ExternalId, DateTimeOffset PlacedAt, decimal Total, string Currency, string? DiscountCode, int ItemCount,
    DateTimeOffset CreatedAt, DateTimeOffset UpdatedAt);

public sealed record ExportedSubscriptionEvent(string EventId, SubscriptionEventKind Kind, DateTimeOffset OccurredAt, DateTimeOffset ReceivedAt);

public sealed record ExportedDiscountCode(string Code, string Campaign, DiscountKind DiscountKind, decimal DiscountValue, decimal? MinimumOrderValue,
    string Currency, DateTimeOffset IssuedAt, DateTimeOffset ExpiresAt, DateTimeOffset? RedeemedAt, string? RedeemedOrderExternalId);

/// <summary>An email queued to the customer. Links in the text are masked: they would still work for whoever reads the file.</summary>
public sealed record ExportedEmail(EmailPurpose Purpose, OutboxStatus Status, string? Template, string? Locale, string ToAddress, string Subject,
    string TextBody, DateTimeOffset CreatedAt, DateTimeOffset? SentAt, string? Note);

public sealed record ExportedChurnEvent(long Id, ChurnKind Kind, DateTimeOffset ReferenceAt, DateTimeOffset ChurnedAt, DateTimeOffset OpenedAt,
    string Explanation, DateTimeOffset? WonBackAt);

public sealed record ExportedSurveyInvitation(long Id, long ChurnEventId, string Locale, DateTimeOffset CreatedAt, DateTimeOffset ExpiresAt,
    DateTimeOffset? ReminderQueuedAt, DateTimeOffset? OpenedAt, DateTimeOffset? AnsweredAt, string? SkipReason, ExportedSurveyAnswer? Answer);

public sealed record ExportedSurveyAnswer(string ChosenReason, string Comment, int? ComebackLikelihood, DateTimeOffset SubmittedAt,
    string? PredictedReason, string? ConfirmedReason, string EffectiveReason, WinBackGroup WinBackGroup);

public sealed record ExportedCampaignAssignment(string Campaign, string? Variant, DateTimeOffset AssignedAt);

public sealed record ExportedThankYou(string Campaign, string? OrderExternalId, ThankYouOutcome Outcome, string? Reason, DateTimeOffset CreatedAt);

/// <summary>Reads one customer's data for <see cref="CustomerDataExport"/>.</summary>
internal static class CustomerDataReader
{
    /// <summary>
    /// The emails that belong to a customer: queued for them, or to their address as given or normalised. The export
    /// shows these and erasure empties these, so both take them from here.
    /// </summary>
    public static IQueryable<OutboxEmail> EmailsOf(AppDbContext db, long customerId, string address, string normalized) =>
        db.OutboxEmails.Where(e => e.CustomerId == customerId || e.ToAddress == address || e.ToAddress == normalized);

    public static async Task<CustomerDataExport> ReadAsync(AppDbContext db, EmailConsent consent, Data.Customers.Customer customer, DateTimeOffset now,
        CancellationToken cancellationToken)
    {
        var id = customer.Id;
        var forms = consent.StoredForms(customer.Email);
        var suppressions = await db.Suppressions.AsNoTracking().Where(s => forms.Contains(s.Address)).OrderBy(s => s.Id)
            .Select(s => new ExportedSuppressionEntry(s.Scope, s.Reason, s.Source, s.CreatedAt, s.Address.StartsWith(ErasedAddress.Prefix)))
            .ToListAsync(cancellationToken);
        var orders = await db.Orders.AsNoTracking().Where(o => o.CustomerId == id).OrderBy(o => o.PlacedAt).ThenBy(o => o.Id)
            .Select(o => new ExportedOrder(o.ExternalId, o.PlacedAt, o.Total, o.Currency, o.DiscountCode, o.ItemCount, o.CreatedAt, o.UpdatedAt))
            .ToListAsync(cancellationToken);
        var events = await db.SubscriptionEvents.AsNoTracking().Where(e => e.CustomerId == id).OrderBy(e => e.OccurredAt).ThenBy(e => e.Id)
            .Select(e => new ExportedSubscriptionEvent(e.EventId, e.Kind, e.OccurredAt, e.ReceivedAt))
            .ToListAsync(cancellationToken);
        var codes = await (
                from c in db.DiscountCodes.AsNoTracking()
                join campaign in db.Campaigns on c.CampaignId equals campaign.Id
                where c.CustomerId == id
                orderby c.IssuedAt, c.Id
                select new ExportedDiscountCode(c.Code, campaign.Name, c.DiscountKind, c.DiscountValue, c.MinimumOrderValue, c.Currency,
                    c.IssuedAt, c.ExpiresAt, c.RedeemedAt, c.RedeemedOrderExternalId))
            .ToListAsync(cancellationToken);
        var emails = (await EmailsOf(db, id, customer.Email, forms[0]).AsNoTracking().OrderBy(e => e.Id)
                .Select(e => new ExportedEmail(e.Purpose, e.Status, e.Template, e.Locale, e.ToAddress, e.Subject, e.TextBody, e.CreatedAt, e.SentAt, e.LastError))
                .ToListAsync(cancellationToken))
            .Select(e => e with { TextBody = SecretRedaction.Redact(e.TextBody) })
            .ToList();
        var churns = await db.ChurnEvents.AsNoTracking().Where(e => e.CustomerId == id).OrderBy(e => e.ChurnedAt).ThenBy(e => e.Id)
            .Select(e => new ExportedChurnEvent(e.Id, e.Kind, e.ReferenceAt, e.ChurnedAt, e.OpenedAt, e.Explanation, e.WonBackAt))
            .ToListAsync(cancellationToken);
        var answers = await db.SurveyResponses.AsNoTracking().Where(r => r.CustomerId == id)
            .Select(r => new
            {
                r.InvitationId,
                Answer = new ExportedSurveyAnswer(r.Reason, r.Comment, r.ComebackLikelihood, r.SubmittedAt, r.PredictedReason, r.HumanReason,
                    r.EffectiveReason, r.WinBackGroup),
            })
            .ToDictionaryAsync(r => r.InvitationId, r => r.Answer, cancellationToken);
        var invitations = (await db.SurveyInvitations.AsNoTracking().Where(i => i.CustomerId == id).OrderBy(i => i.CreatedAt).ThenBy(i => i.Id)
                .ToListAsync(cancellationToken))
            .Select(i => new ExportedSurveyInvitation(i.Id, i.ChurnEventId, i.Locale, i.CreatedAt, i.ExpiresAt, i.ReminderQueuedAt, i.OpenedAt,
                i.AnsweredAt, i.SkipReason, answers.GetValueOrDefault(i.Id)))
            .ToList();
        var assignments = await (
                from a in db.CampaignAssignments.AsNoTracking()
                join c in db.Campaigns on a.CampaignId equals c.Id
                where a.CustomerId == id
                orderby a.AssignedAt, a.Id
                select new ExportedCampaignAssignment(c.Name, db.CampaignVariants.Where(v => v.Id == a.VariantId).Select(v => v.Name).FirstOrDefault(), a.AssignedAt))
            .ToListAsync(cancellationToken);
        var thankYous = await (
                from t in db.ThankYous.AsNoTracking()
                join c in db.Campaigns on t.CampaignId equals c.Id
                where t.CustomerId == id
                orderby t.CreatedAt, t.Id
                select new ExportedThankYou(c.Name, db.Orders.Where(o => o.Id == t.OrderId).Select(o => o.ExternalId).FirstOrDefault(), t.Outcome, t.Reason, t.CreatedAt))
            .ToListAsync(cancellationToken);
        var scopes = suppressions.Select(s => s.Scope).ToHashSet();
        return new CustomerDataExport(
            now,
            new ExportedCustomer(customer.Id, customer.ExternalId, customer.Email, customer.FirstName, customer.LastName, customer.Locale, customer.TimeZone,
                customer.FlaggedBySupport, ErasedAddress.IsPlaceholder(customer.Email), customer.CreatedAt, customer.AcquiredAt, customer.UpdatedAt),
            new ExportedConsent(customer.MarketingConsent, customer.MarketingConsentSource, customer.MarketingConsentAt),
            new ExportedSuppression(Suppression.ScopesStopping(EmailPurpose.Offer).Any(scopes.Contains),
                Suppression.ScopesStopping(EmailPurpose.Survey).Any(scopes.Contains), suppressions),
            orders, events, codes, emails, churns, invitations, assignments, thankYous);
    }
}
