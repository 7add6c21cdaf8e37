using FeedbackHub.Data;
using FeedbackHub.Data.Surveys;
using FeedbackHub.Web.Features.Surveys;
using FeedbackHub.Web.Features.Surveys.Admin;
using Microsoft.EntityFrameworkCore;

namespace FeedbackHub.Web.Features.Analytics;

/// <summary>Answers with one effective reason, and how many of those customers came back after answering.</summary>
public sealed record WonBackByReason(string Reason, int Answered, int WonBack)
{
    public decimal? WonBackPercent => Percentages.Of(WonBack, Answered);
}

/// <summary>
/// One win-back offer's customers side by side: those shown the offer and its hold-out, who were thanked
/// without it. The uplift is what the offer changed, with its 95 % interval.
/// </summary>
public sealed record WonBackByOffer(long OfferId, string Reason, WinBackOfferKind Kind, WinBackGroupCount Offered, WinBackGroupCount Holdout, int CodesRedeemed)
{
    /// <summary>Offered minus hold-out won-back rate, in points; null while either group is empty.</summary>
    public Uplift? Uplift => Uplift.Between(Offered.Customers, Offered.WonBack, Holdout.Customers, Holdout.WonBack);
}

/// <summary>
/// The exit survey's funnel over the invitations created in a period, followed to today.
/// </summary>
/// <param name="Period">The period the invitations were created in.</param>
/// <param name="Invitations">Invitations created in the period (one per churn), sent or not.</param>
/// <param name="NotSent">Invitations whose email was held back (no consent, suppressed, fatigue cap), so never seen.</param>
/// <param name="Invited">Invitations whose email was queued: the funnel's top.</param>
/// <param name="Opened">Of those, the ones whose survey page a browser showed at least once (the first GET after the link was exchanged is recorded; link scanners that only follow the link do not count).</param>
/// <param name="Answered">Of those invited, the ones answered.</param>
/// <param name="Reminded">Invitations that got their one reminder email (queued for unanswered invitations after the configured days).</param>
/// <param name="AnsweredAfterReminder">Of the reminded, the ones answered after the reminder.</param>
/// <param name="ByReason">Answers by effective reason, with how many came back after answering.</param>
/// <param name="ByOffer">Answers by win-back offer: offered group against hold-out.</param>
public sealed record SurveyFunnel(
    ReportPeriod Period, int Invitations, int NotSent, int Invited, int Opened, int Answered, int Reminded, int AnsweredAfterReminder,
    IReadOnlyList<WonBackByReason> ByReason, IReadOnlyList<WonBackByOffer> ByOffer)
{
    /// <summary>Answered ÷ invited, in percent.</summary>
    public decimal? ResponseRate => Percentages.Of(Answered, Invited);

    /// <summary>Opened ÷ invited, in percent.</summary>
    public decimal? OpenRate => Percentages.Of(Opened, Invited);
}

/// <summary>
/// The exit survey from invitation to win-back, counted in the database. The invitations created in the
/// period make the funnel; what happened to them (opened, answered, reminded, won back) counts up to now,
/// so a recent period still grows. Won back means the churn closed after the answer (see <see cref="WinBackResults"/>).
/// </summary>
public sealed class SurveyFunnelReport(AppDbContext db)
{
    public async Task<SurveyFunnel> FunnelAsync(ReportPeriod period, CustomerFilter filter, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(period);
        ArgumentNullException.ThrowIfNull(filter);
        var (start, end) = (period.Start, period.End);
        var invitations = db.SurveyInvitations.Where(i => i.CreatedAt >= start && i.CreatedAt < end);
        if (!filter.KeepsEveryone)
        {
            // Every invitation has its customer by foreign key: without a filter the customers stay out of the query.
            var customers = filter.Apply(db);
            invitations = invitations.Where(i => customers.Any(c => c.Id == i.CustomerId));
        }

        var counts = await invitations
            .GroupBy(i => 1)
            .Select(g => new FunnelCounts(
                g.Count(),
                g.Count(i => i.SkipReason == null),
                g.Count(i => i.SkipReason == null && i.OpenedAt != null),
                g.Count(i => i.SkipReason == null && i.AnsweredAt != null),
                g.Count(i => i.ReminderQueuedAt != null),
                g.Count(i => i.ReminderQueuedAt != null && i.AnsweredAt > i.ReminderQueuedAt)))
            .FirstOrDefaultAsync(cancellationToken) ?? new FunnelCounts(0, 0, 0, 0, 0, 0);
        var cells = await db.SurveyResponses.Where(r => invitations.Any(i => i.Id == r.InvitationId)).Cells(db).ToListAsync(cancellationToken);
        var offerIds = cells.Where(c => c.OfferId is not null).Select(c => c.OfferId!.Value).Distinct().ToList();
        var offers = await db.WinBackOffers.AsNoTracking().Where(o => offerIds.Contains(o.Id)).ToDictionaryAsync(o => o.Id, cancellationToken);

        var byReason = cells.GroupBy(c => c.Reason, StringComparer.Ordinal)
            .Select(g => new WonBackByReason(g.Key, g.Sum(c => c.Responses), g.Sum(c => c.WonBack)))
            .OrderByDescending(r => r.Answered).ThenBy(r => r.Reason, StringComparer.Ordinal)
            .ToList();
        var byOffer = offers.Values.OrderBy(o => o.Reason, StringComparer.Ordinal)
            .Select(o => new WonBackByOffer(
                o.Id, o.Reason, o.Kind,
                WinBackGroupCount.Of(cells.Where(c => c.OfferId == o.Id && c.Group == WinBackGroup.Offered)),
                WinBackGroupCount.Of(cells.Where(c => c.OfferId == o.Id && c.Group == WinBackGroup.Holdout)),
                cells.Where(c => c.OfferId == o.Id).Sum(c => c.CodesRedeemed)))
            .ToList();
        return new SurveyFunnel(
            period, counts.Invitations, counts.Invitations - counts.Invited, counts.Invited, counts.Opened, counts.Answered,
            counts.Reminded, counts.AnsweredAfterReminder, byReason, byOffer);
    }

    private sealed record FunnelCounts(int Invitations, int Invited, int Opened, int Answered, int Reminded, int AnsweredAfterReminder);
}
