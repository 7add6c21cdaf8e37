using FeedbackHub.Data.Database;
using FeedbackHub.Data.Email;
using FeedbackHub.Testing;
using FeedbackHub.Web.Features.Email;
using Microsoft.EntityFrameworkCore;

namespace FeedbackHub.Web.Tests;

/// <summary>Consent, suppression, the fatigue cap and quiet hours, as applied when an email is queued.</summary>
[Collection(PostgresCollection.Name)]
public sealed class EmailConsentTests(PostgresServer postgres)
{
    private static readonly TimeZoneInfo Amsterdam = TimeZoneInfo.FindSystemTimeZoneById("Europe/Amsterdam");

    [Fact]
    public async Task Offer_WithoutMarketingConsent_IsStoredAsSkipped()
    {
        using var database = await TestDatabase.CreateMigratedAsync(DatabaseProvider.Sqlite, postgres);
        using var email = new EmailHarness(database);
        var customer = await email.AddCustomerAsync("no-consent@example.nl", consent: false);

        var result = await email.QueueToCustomerAsync(customer, "thank-you:o-1");

        Assert.Equal(new QueueResult(QueueOutcome.Skipped, "no marketing consent"), result);
        await using var db = database.CreateContext();
        Assert.Equal(OutboxStatus.Skipped, (await db.OutboxEmails.SingleAsync()).Status);
    }

    [Fact]
    public async Task Offer_WithoutPostalAddressSetting_IsSkippedWithTheSettingName()
    {
        using var database = await TestDatabase.CreateMigratedAsync(DatabaseProvider.Sqlite, postgres);
        using var email = new EmailHarness(database, new EmailOptions { FromAddress = "shop@example.nl" });
        var customer = await email.AddCustomerAsync("sam@example.nl");

        var result = await email.QueueToCustomerAsync(customer, "thank-you:o-1");

        Assert.Contains("Email:PostalAddress", result.Reason, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData(DatabaseProvider.Sqlite)]
    [InlineData(DatabaseProvider.Postgres)]
    public async Task FatigueCap_FourthEmailIn7Days_IsSkipped_AndAllowedAgainAfterTheWindow(DatabaseProvider provider)
    {
        using var database = await TestDatabase.CreateMigratedAsync(provider, postgres);
        using var email = new EmailHarness(database);
        var customer = await email.AddCustomerAsync("busy@example.nl");

        var outcomes = new List<QueueOutcome>();
        for (var i = 0; i < 4; i++)
        {
            outcomes.Add((await email.QueueToCustomerAsync(customer, $"thank-you:o-{i}")).Outcome);
            email.Time.Advance(TimeSpan.FromDays(1));
        }

        email.Time.Advance(TimeSpan.FromDays(4));
        outcomes.Add((await email.QueueToCustomerAsync(customer, "thank-you:o-later")).Outcome);

        Assert.Equal([QueueOutcome.Queued, QueueOutcome.Queued, QueueOutcome.Queued, QueueOutcome.Skipped, QueueOutcome.Queued], outcomes);
    }

    [Fact]
    public async Task SameKeyTwice_IsAlreadyQueued()
    {
        using var database = await TestDatabase.CreateMigratedAsync(DatabaseProvider.Sqlite, postgres);
        using var email = new EmailHarness(database);
        var customer = await email.AddCustomerAsync("twice@example.nl");

        await email.QueueToCustomerAsync(customer, "thank-you:o-1");
        var second = await email.QueueToCustomerAsync(customer, "thank-you:o-1");

        Assert.Equal(QueueOutcome.AlreadyQueued, second.Outcome);
    }

    [Fact]
    public async Task QueuedAtNight_WaitsUntilTheEndOfQuietHoursInTheCustomersZone()
    {
        using var database = await TestDatabase.CreateMigratedAsync(DatabaseProvider.Sqlite, postgres);
        // 22:30 in Amsterdam (UTC+1 in November).
        using var email = new EmailHarness(database, now: new DateTimeOffset(2026, 11, 20, 21, 30, 0, TimeSpan.Zero));
        var customer = await email.AddCustomerAsync("night@example.nl");

        await email.QueueToCustomerAsync(customer, "thank-you:o-1");

        await using var db = database.CreateContext();
        Assert.Equal(new DateTimeOffset(2026, 11, 21, 7, 0, 0, TimeSpan.Zero), (await db.OutboxEmails.SingleAsync()).NotBefore);
    }

    [Theory]
    [InlineData("2026-11-20T12:00:00Z", "2026-11-20T12:00:00Z")] // 13:00 local: allowed
    [InlineData("2026-11-20T19:59:00Z", "2026-11-20T19:59:00Z")] // 20:59 local: allowed
    [InlineData("2026-11-20T20:00:00Z", "2026-11-21T07:00:00Z")] // 21:00 local: quiet until 08:00 next morning
    [InlineData("2026-11-21T03:00:00Z", "2026-11-21T07:00:00Z")] // 04:00 local, after midnight: this morning 08:00
    [InlineData("2026-11-21T07:00:00Z", "2026-11-21T07:00:00Z")] // 08:00 local: allowed again
    [InlineData("2026-03-28T22:00:00Z", "2026-03-29T06:00:00Z")] // night before summer time starts: 08:00 CEST
    public void QuietHours_NextAllowed(string due, string expected)
    {
        var quiet = new QuietHours(new TimeOnly(21, 0), new TimeOnly(8, 0));

        var next = quiet.NextAllowed(DateTimeOffset.Parse(due, System.Globalization.CultureInfo.InvariantCulture), Amsterdam);

        Assert.Equal(DateTimeOffset.Parse(expected, System.Globalization.CultureInfo.InvariantCulture), next);
    }

    [Fact]
    public void QuietHours_SameStartAndEnd_MeansNone()
    {
        var due = new DateTimeOffset(2026, 11, 21, 2, 0, 0, TimeSpan.Zero);

        Assert.Equal(due, new QuietHours(new TimeOnly(0, 0), new TimeOnly(0, 0)).NextAllowed(due, Amsterdam));
    }

    [Fact]
    public void QuietHours_UnknownZone_FallsBackToTheDefault()
    {
        Assert.Equal(Amsterdam.Id, QuietHours.ZoneOrDefault("Mars/Olympus_Mons", "Europe/Amsterdam").Id);
    }

    [Fact]
    public async Task Preferences_ReplaceOwnChoices_ButKeepBounces()
    {
        using var database = await TestDatabase.CreateMigratedAsync(DatabaseProvider.Sqlite, postgres);
        using var email = new EmailHarness(database);
        await using var db = database.CreateContext();
        var consent = new EmailConsent(db, Microsoft.Extensions.Options.Options.Create(email.Options), Microsoft.Extensions.Options.Options.Create(new FeedbackHub.Web.Features.Privacy.PrivacyOptions()));
        var now = email.Time.GetUtcNow();

        await consent.SetPreferencesAsync("Pat@Example.nl", offers: false, surveys: true, now, CancellationToken.None);
        var afterFirst = await consent.PreferencesAsync("pat@example.nl", CancellationToken.None);
        await consent.SetPreferencesAsync("pat@example.nl", offers: true, surveys: false, now, CancellationToken.None);
        var afterSecond = await consent.PreferencesAsync("pat@example.nl", CancellationToken.None);

        Assert.Equal((false, true), afterFirst);
        Assert.Equal((true, false), afterSecond);
        Assert.Equal([SuppressionScope.Surveys], await db.Suppressions.Select(s => s.Scope).ToListAsync());
    }
}
