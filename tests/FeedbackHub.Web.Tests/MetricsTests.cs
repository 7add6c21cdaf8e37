using System.Diagnostics.Metrics;
using System.Net;
using FeedbackHub.Data.Database;
using FeedbackHub.Testing;
using FeedbackHub.Web.Features.Metrics;
using FeedbackHub.Web.Features.Surveys;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Diagnostics.Metrics.Testing;

namespace FeedbackHub.Web.Tests;

/// <summary>The <c>FeedbackHub</c> meter, read while real emails go to MailDev and a customer answers a real survey.</summary>
[Collection(PostgresCollection.Name)]
public sealed class MetricsTests(PostgresServer postgres)
{
    [Fact]
    public async Task Dispatch_ThankYousToMailDev_CountsEachSentEmailByKindWithItsLag()
    {
        using var database = await TestDatabase.CreateMigratedAsync(DatabaseProvider.Sqlite, postgres);
        using var email = new EmailHarness(database);
        await using var mailDev = new MailDevServer();
        await mailDev.InitializeAsync();
        using var sent = Collector<long>(email.Services, "feedbackhub.emails.sent");
        using var lag = Collector<double>(email.Services, "feedbackhub.emails.dispatch_lag");
        foreach (var address in new[] { "ann@example.nl", "bob@example.nl" })
        {
            await email.QueueToCustomerAsync(await email.AddCustomerAsync(address), $"thank-you:{address}");
        }

        // The dispatcher comes round 90 seconds after the emails became due.
        email.Time.Advance(TimeSpan.FromSeconds(90));
        using var transports = EmailHarness.Smtp(mailDev.SmtpPort);
        await EmailHarness.DrainAsync(email.Dispatcher(transports));

        Assert.Equal(2, (await mailDev.WaitForEmailsAsync(2)).Count);
        Assert.Equal(2, sent.GetMeasurementSnapshot().EvaluateAsCounter());
        Assert.All(sent.GetMeasurementSnapshot(), m => Assert.Equal("thank-you", m.Tags[FeedbackHubMetrics.EmailKindTag]));
        Assert.Equal([90.0, 90.0], lag.GetMeasurementSnapshot().Select(m => m.Value));
    }

    [Fact]
    public async Task Dispatch_MailDevStopped_CountsTheEmailAsDeferredForRetry()
    {
        using var database = await TestDatabase.CreateMigratedAsync(DatabaseProvider.Sqlite, postgres);
        using var email = new EmailHarness(database);
        await using var mailDev = new MailDevServer();
        await mailDev.InitializeAsync();
        await mailDev.StopAsync();
        using var deferred = Collector<long>(email.Services, "feedbackhub.emails.deferred");
        using var sent = Collector<long>(email.Services, "feedbackhub.emails.sent");
        await email.QueueToCustomerAsync(await email.AddCustomerAsync("later@example.nl"), "thank-you:later");
        using var transports = EmailHarness.Smtp(mailDev.SmtpPort);

        await email.Dispatcher(transports).DispatchOnceAsync(CancellationToken.None);

        var measurement = Assert.Single(deferred.GetMeasurementSnapshot());
        Assert.Equal(1, measurement.Value);
        Assert.Equal("thank-you", measurement.Tags[FeedbackHubMetrics.EmailKindTag]);
        Assert.Equal(FeedbackHubMetrics.DeferredForRetry, measurement.Tags[FeedbackHubMetrics.DeferReasonTag]);
        Assert.Empty(sent.GetMeasurementSnapshot());

        // MailDev back: the retry goes out and is counted as sent, once.
        await mailDev.StartAsync();
        email.Time.Advance(TimeSpan.FromHours(1));
        await EmailHarness.DrainAsync(email.Dispatcher(transports));
        Assert.Single(await mailDev.WaitForEmailsAsync(1));
        Assert.Equal(1, sent.GetMeasurementSnapshot().EvaluateAsCounter());
    }

    [Fact]
    public async Task Dispatch_RelayRefusesPermanently_CountsTheEmailAsFailed()
    {
        using var database = await TestDatabase.CreateMigratedAsync(DatabaseProvider.Sqlite, postgres);
        using var email = new EmailHarness(database);
        await using var smtp = new ScriptedSmtpServer((_, _) => new(554, "5.7.1 Relay access denied"));
        using var failed = Collector<long>(email.Services, "feedbackhub.emails.failed");
        await email.QueueToCustomerAsync(await email.AddCustomerAsync("refused@example.nl"), "thank-you:refused");
        using var transports = EmailHarness.Smtp(smtp.Port);

        await EmailHarness.DrainAsync(email.Dispatcher(transports));

        var measurement = Assert.Single(failed.GetMeasurementSnapshot());
        Assert.Equal("thank-you", measurement.Tags[FeedbackHubMetrics.EmailKindTag]);
    }

    [Fact]
    public async Task SurveySubmit_RealAppWithComment_CountsTheResponseAndTimesItsClassification()
    {
        await using var factory = new FeedbackHubFactory();
        using var responses = Collector<long>(factory.Services, "feedbackhub.survey.responses");
        using var classification = Collector<double>(factory.Services, "feedbackhub.classification.duration");
        await ExitSurveys.InviteChurnedCustomerAsync(factory.Services, "metrics@example.com");
        using var client = factory.CreateBrowserLikeClient();
        var form = await ExitSurveys.OpenSurveyAsync(client, factory.Services, "metrics@example.com");

        using var submitted = await client.PostAsync(
            new Uri(SurveyLinks.SurveyPath, UriKind.Relative), ExitSurveys.Answers(form, "price", "Way too expensive since the price went up.", "4"));

        Assert.Equal(HttpStatusCode.Redirect, submitted.StatusCode);
        var response = Assert.Single(responses.GetMeasurementSnapshot());
        Assert.Equal(1, response.Value);
        Assert.Equal("en", response.Tags[FeedbackHubMetrics.LocaleTag]);
        // The answer is classified in the background, a moment after the submit.
        await classification.WaitForMeasurementsAsync(1, TimeSpan.FromSeconds(30));
        // The collector ends that wait on the thread that recorded, inside the classification worker; leave it,
        // or stopping the app at the end of this test would wait for the very worker that is running it.
        await Task.Yield();
        var duration = Assert.Single(classification.GetMeasurementSnapshot());
        Assert.InRange(duration.Value, 0, 5);
    }

    /// <summary>A collector on the <c>FeedbackHub</c> meter of this host's own meter factory (not every host in the test process).</summary>
    private static MetricCollector<T> Collector<T>(IServiceProvider services, string instrument)
        where T : struct =>
        new(services.GetRequiredService<IMeterFactory>(), FeedbackHubMetrics.MeterName, instrument);
}
