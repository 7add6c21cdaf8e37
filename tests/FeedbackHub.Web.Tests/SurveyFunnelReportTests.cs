using FeedbackHub.Data;
using FeedbackHub.Data.Churn;
using FeedbackHub.Data.Customers;
using FeedbackHub.Data.Database;
using FeedbackHub.Data.Surveys;
using FeedbackHub.Testing;
using FeedbackHub.Web.Features.Analytics;

namespace FeedbackHub.Web.Tests;

/// <summary>The exit-survey funnel and win-backs on a handful of invitations whose fate is worked out by hand, on both databases.</summary>
[Collection(PostgresCollection.Name)]
public sealed class SurveyFunnelReportTests(PostgresServer postgres)
{
    private static readonly TimeZoneInfo Amsterdam = TimeZoneInfo.FindSystemTimeZoneById("Europe/Amsterdam");
    private static readonly ReportPeriod October = ReportPeriod.Month(2026, 10, Amsterdam);

    [Theory]
    [InlineData(DatabaseProvider.Sqlite)]
    [InlineData(DatabaseProvider.Postgres)]
    public async Task Funnel_CountsOctobersInvitations_ToTodayAndWinBacksByReasonAndOffer(DatabaseProvider provider)
    {
        using var database = await TestDatabase.CreateMigratedAsync(provider, postgres);
        await using (var db = database.CreateContext())
        {
            var version = new SurveyVersion { Number = 1, Definition = "{}", CreatedBy = "test" };
            var offer = new WinBackOffer { Reason = "price", Kind = WinBackOfferKind.Message, MessageEnglish = "Sorry", MessageDutch = "Sorry", HoldoutShare = 0.5m, Enabled = true };
            db.AddRange(version, offer);
            await db.SaveChangesAsync();
            var survey = new Survey(db, version.Id, offer.Id);
            // Opened, answered "price", shown the offer, and back a week after answering.
            await survey.InviteAsync("a", Day(10, 2), opened: Day(10, 3), answered: Day(10, 3), reason: "price", group: WinBackGroup.Offered, wonBack: Day(10, 10));
            // Opened, never answered despite the reminder.
            await survey.InviteAsync("b", Day(10, 4), opened: Day(10, 5), reminded: Day(10, 11));
            // Answered "price" after the reminder, in the hold-out, not back.
            await survey.InviteAsync("c", Day(10, 6), opened: Day(10, 14), reminded: Day(10, 13), answered: Day(10, 14), reason: "price", group: WinBackGroup.Holdout);
            // Never sent (no consent): not invited, so not in the rate.
            await survey.InviteAsync("d", Day(10, 7), skipped: "no marketing consent");
            // Sent, not opened.
            await survey.InviteAsync("e", Day(10, 8));
            // 22:30 UTC on 30 September is 00:30 on 1 October in Amsterdam: October's. Answered "service" with the
            // human label winning; it came back before answering, which the offer cannot have caused.
            await survey.InviteAsync("f", new DateTimeOffset(2026, 9, 30, 22, 30, 0, TimeSpan.Zero), opened: Day(10, 1), answered: Day(10, 9),
                reason: "price", human: "service", wonBack: Day(10, 5));
            // 23:30 UTC on 31 October is November in Amsterdam; and one from September.
            await survey.InviteAsync("g", new DateTimeOffset(2026, 10, 31, 23, 30, 0, TimeSpan.Zero), opened: Day(11, 1), answered: Day(11, 1), reason: "price", group: WinBackGroup.Offered);
            await survey.InviteAsync("h", Day(9, 10), opened: Day(9, 11), answered: Day(9, 11), reason: "other");
        }

        await using var context = database.CreateContext();
        var report = new SurveyFunnelReport(context);

        var funnel = await report.FunnelAsync(October, CustomerFilter.All, CancellationToken.None);
        var dutch = await report.FunnelAsync(October, new CustomerFilter(Language: CustomerLocales.Dutch), CancellationToken.None);

        Assert.Equal((6, 1, 5, 4, 3), (funnel.Invitations, funnel.NotSent, funnel.Invited, funnel.Opened, funnel.Answered));
        Assert.Equal((2, 1), (funnel.Reminded, funnel.AnsweredAfterReminder));
        Assert.Equal((60.0m, 80.0m), (funnel.ResponseRate, funnel.OpenRate));
        Assert.Equal([new WonBackByReason("price", 2, 1), new WonBackByReason("service", 1, 0)], funnel.ByReason);
        var byOffer = Assert.Single(funnel.ByOffer);
        Assert.Equal(("price", 1, 1, 1, 0), (byOffer.Reason, byOffer.Offered.Customers, byOffer.Offered.WonBack, byOffer.Holdout.Customers, byOffer.Holdout.WonBack));
        Assert.Equal(100.0, byOffer.Uplift!.Points, 6);
        Assert.Equal((1, 0, 0, null), (dutch.Invitations, dutch.Invited, dutch.Answered, dutch.ResponseRate));
    }

    [Theory]
    [InlineData(DatabaseProvider.Sqlite)]
    [InlineData(DatabaseProvider.Postgres)]
    public async Task Funnel_OfAPeriodWithoutInvitations_IsZeroWithoutRates(DatabaseProvider provider)
    {
        using var database = await TestDatabase.CreateMigratedAsync(provider, postgres);
        await using var context = database.CreateContext();

        var funnel = await new SurveyFunnelReport(context).FunnelAsync(October, CustomerFilter.All, CancellationToken.None);

        Assert.Equal((0, 0, 0, 0, 0, 0), (funnel.Invitations, funnel.Invited, funnel.Opened, funnel.Answered, funnel.Reminded, funnel.AnsweredAfterReminder));
        Assert.Equal((null, null), (funnel.ResponseRate, funnel.OpenRate));
        Assert.Empty(funnel.ByReason);
        Assert.Empty(funnel.ByOffer);
    }

    private static DateTimeOffset Day(int month, int day) => new(2026, month, day, 12, 0, 0, TimeSpan.Zero);

    /// <summary>Writes churns, invitations and answers as the inviter and the survey page would have left them.</summary>
    private sealed class Survey(AppDbContext db, long versionId, long offerId)
    {
        public async Task InviteAsync(
            string id, DateTimeOffset invitedAt, DateTimeOffset? opened = null, DateTimeOffset? reminded = null, DateTimeOffset? answered = null,
            string? reason = null, string? human = null, WinBackGroup group = WinBackGroup.None, DateTimeOffset? wonBack = null, string? skipped = null)
        {
            var locale = id == "d" ? CustomerLocales.Dutch : CustomerLocales.English;
            var customer = new Customer { ExternalId = id, Email = $"{id}@example.com", Locale = locale, CreatedAt = invitedAt, UpdatedAt = invitedAt };
            var churn = new ChurnEvent
            {
                Customer = customer, Kind = ChurnKind.Lapsed, ReferenceAt = invitedAt, ChurnedAt = invitedAt, OpenedAt = invitedAt, WonBackAt = wonBack, Explanation = "test",
            };
            var invitation = new SurveyInvitation
            {
                ChurnEvent = churn, Customer = customer, TokenHash = $"hash-{id}", Locale = locale, CreatedAt = invitedAt, ExpiresAt = invitedAt.AddDays(30),
                SkipReason = skipped, OpenedAt = opened, AnsweredAt = answered, ReminderQueuedAt = reminded, ReminderTokenHash = reminded is null ? null : $"reminder-{id}",
            };
            db.SurveyInvitations.Add(invitation);
            await db.SaveChangesAsync();
            if (answered is { } at)
            {
                db.SurveyResponses.Add(new SurveyResponse
                {
                    InvitationId = invitation.Id, CustomerId = customer.Id, SurveyVersionId = versionId, Locale = locale, Reason = reason!, HumanReason = human,
                    SubmittedAt = at, WinBackGroup = group, WinBackOfferId = group == WinBackGroup.None ? null : offerId,
                });
                await db.SaveChangesAsync();
            }
        }
    }
}
