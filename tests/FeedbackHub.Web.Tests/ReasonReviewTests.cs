using System.Net;
using Bunit;
using FeedbackHub.Data;
using FeedbackHub.Data.Auditing;
using FeedbackHub.Data.Database;
using FeedbackHub.Data.Staff;
using FeedbackHub.Testing;
using FeedbackHub.Web.Features.Auditing;
using FeedbackHub.Web.Features.Reasons;
using FeedbackHub.Web.Features.Reasons.Pages;
using FeedbackHub.Web.Features.Surveys.Review;
using Microsoft.AspNetCore.Components;
using Microsoft.AspNetCore.Components.Web;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace FeedbackHub.Web.Tests;

/// <summary>The support leads' review queue: answers shown inert, confirm and correct, and the human label winning in the churn list.</summary>
[Collection(PostgresCollection.Name)]
public sealed class ReasonReviewTests(PostgresServer postgres) : BunitContext
{
    private const string Hostile = "<script>alert('x')</script><img src=x onerror=alert(1)> way too expensive";

    private static readonly Actor Lead = new("lead-id", "lead@example.com");

    [Fact]
    public async Task ReviewPage_AnswerWithScriptAndHtml_IsShownAsText_WithPredictionAndExplanation()
    {
        using var factory = new FeedbackHubFactory();
        await ExitSurveys.AddAnswersAsync(factory.Services, [(Hostile, "other")]);
        await ClassifyAsync(factory.Services);
        using var session = await factory.SignedInAsync("lead@example.com", StaffRoles.SupportLead);

        var page = await session.GetPageAsync("/surveys/review");

        Assert.DoesNotContain("<script>alert", page, StringComparison.Ordinal);
        Assert.DoesNotContain("<img src=x", page, StringComparison.Ordinal);
        Assert.Contains("&lt;script&gt;alert(&#x27;x&#x27;)&lt;/script&gt;&lt;img src=x onerror=alert(1)&gt; way too expensive", page, StringComparison.Ordinal);
        Assert.Contains("<strong>The price</strong>", page, StringComparison.Ordinal);
        Assert.Contains("&#x201C;expensive&#x201D;", page, StringComparison.Ordinal);
        Assert.Contains("Something else", page, StringComparison.Ordinal);
        Assert.Contains("<kbd>Enter</kbd>", page, StringComparison.Ordinal);
        Assert.Contains("href=\"surveys/review\"", page, StringComparison.Ordinal);
    }

    [Fact]
    public async Task DetailPage_ShowsThePredictionAndTheHumanLabel_AndCountsTheLabel()
    {
        using var factory = new FeedbackHubFactory();
        var ids = await ExitSurveys.AddAnswersAsync(factory.Services, [("Customer service never answered my emails.", "price")]);
        await ClassifyAsync(factory.Services);
        long eventId;
        await using (var scope = factory.Services.CreateAsyncScope())
        {
            eventId = await scope.ServiceProvider.GetRequiredService<AppDbContext>().SurveyResponses.Select(r => r.Invitation!.ChurnEventId).SingleAsync();
            await scope.ServiceProvider.GetRequiredService<ReasonReview>().LabelAsync(Lead, ids[0], "experience", CancellationToken.None);
        }

        using var session = await factory.SignedInAsync("lead@example.com", StaffRoles.SupportLead);

        var page = await session.GetPageAsync($"/surveys/responses/{eventId}");

        Assert.Contains("<strong>A bad experience (product, delivery, website)</strong>", page, StringComparison.Ordinal);
        Assert.Contains("<dt>Customer chose</dt><dd>The price</dd>", page, StringComparison.Ordinal);
        Assert.Matches(@"The service \(customer support, staff\), \d+ % sure \(model v1 \([0-9a-f]{8}\), ", page);
        Assert.Contains("A bad experience (product, delivery, website), by lead@example.com (", page, StringComparison.Ordinal);
    }

    [Fact]
    public async Task ReviewPage_Marketer_IsRefused()
    {
        using var factory = new FeedbackHubFactory();
        using var session = await factory.SignedInAsync("marketer@example.com", StaffRoles.Marketer);

        using var response = await session.Client.GetAsync(new Uri("/surveys/review", UriKind.Relative));

        Assert.Equal(HttpStatusCode.Forbidden, response.StatusCode);
    }

    [Theory]
    [InlineData(DatabaseProvider.Sqlite)]
    [InlineData(DatabaseProvider.Postgres)]
    public async Task Label_ConfirmOrCorrect_StoresTheHumanLabel_WhichWinsInTheChurnListFilter(DatabaseProvider provider)
    {
        using var database = await TestDatabase.CreateMigratedAsync(provider, postgres);
        using var harness = new EmailHarness(database);
        var ids = await ExitSurveys.AddAnswersAsync(harness.Services,
        [
            ("Much too expensive for what you get.", "price"),
            ("Customer service never answered my emails.", "other"),
            ("", "other"),
        ]);
        await ClassifyAsync(harness.Services);
        await using var scope = harness.Services.CreateAsyncScope();
        var review = scope.ServiceProvider.GetRequiredService<ReasonReview>();
        var list = scope.ServiceProvider.GetRequiredService<ExitSurveyReview>();
        var queue = await review.QueueAsync(1, CancellationToken.None);
        Assert.Equal(2, queue.Total);
        Assert.True(queue.Rows[0].Confidence <= queue.Rows[1].Confidence, "The least confident answer comes first.");
        Assert.Equal(1, await CountAsync(list, "service"));

        var confirmed = await review.LabelAsync(Lead, ids[0], "price", CancellationToken.None);
        var corrected = await review.LabelAsync(Lead, ids[1], "experience", CancellationToken.None);

        Assert.True(confirmed.Succeeded && corrected.Succeeded);
        var db = scope.ServiceProvider.GetRequiredService<AppDbContext>();
        var labelled = await db.SurveyResponses.AsNoTracking().SingleAsync(r => r.Id == ids[1]);
        Assert.Equal(("experience", "lead@example.com", harness.Time.GetUtcNow(), "service", "experience"),
            (labelled.HumanReason, labelled.LabelledBy, labelled.LabelledAt, labelled.PredictedReason, labelled.EffectiveReason));
        Assert.Equal(0, (await review.QueueAsync(1, CancellationToken.None)).Total);
        // The human label wins over the prediction and the customer's choice; an answer without a comment keeps its choice.
        Assert.Equal(0, await CountAsync(list, "service"));
        Assert.Equal(1, await CountAsync(list, "experience"));
        Assert.Equal(1, await CountAsync(list, "price"));
        Assert.Equal(1, await CountAsync(list, "other"));
        Assert.Equal("experience", (await list.ListAsync(new ChurnFilter(Reason: "experience"), 1, CancellationToken.None)).Rows.Single().Reason);
        var audit = await db.AuditLog.Where(a => a.Action == AuditActions.ReasonLabelled).OrderBy(a => a.Id).ToListAsync();
        Assert.Equal([$"response:{ids[0]}", $"response:{ids[1]}"], audit.Select(a => a.Target));
        Assert.StartsWith("confirmed price (predicted price ", audit[0].Details, StringComparison.Ordinal);
        Assert.StartsWith("set to experience (predicted service ", audit[1].Details, StringComparison.Ordinal);
        Assert.EndsWith("the customer chose other)", audit[1].Details, StringComparison.Ordinal);
        Assert.All(audit, a => Assert.Equal("lead@example.com", a.ActorName));
    }

    [Fact]
    public async Task Label_UnknownReason_IsRefusedWithTheKnownOnes()
    {
        using var database = await TestDatabase.CreateMigratedAsync(DatabaseProvider.Sqlite, postgres);
        using var harness = new EmailHarness(database);
        var ids = await ExitSurveys.AddAnswersAsync(harness.Services, [("Too expensive.", "price")]);
        await using var scope = harness.Services.CreateAsyncScope();

        var result = await scope.ServiceProvider.GetRequiredService<ReasonReview>().LabelAsync(Lead, ids[0], "cheap", CancellationToken.None);

        Assert.Equal(["'cheap' is not a reason; choose one of price, service, experience, other."], result.Errors);
        Assert.Null((await scope.ServiceProvider.GetRequiredService<AppDbContext>().SurveyResponses.SingleAsync()).HumanReason);
    }

    [Fact]
    public async Task ReviewPage_NumberKeyThenEnter_LabelsTheAnswerAndFocusesTheNext()
    {
        using var database = await TestDatabase.CreateMigratedAsync(DatabaseProvider.Sqlite, postgres);
        using var harness = new EmailHarness(database);
        await ExitSurveys.AddAnswersAsync(harness.Services,
        [
            ("Much too expensive for what you get.", "price"),
            ("The parcel arrived broken and two weeks late.", "other"),
        ]);
        await ClassifyAsync(harness.Services);
        Services.AddDbContext<AppDbContext>(database.Settings.Configure);
        Services.AddSingleton<TimeProvider>(harness.Time);
        Services.AddScoped<AuditTrail>();
        Services.AddScoped<ReasonCatalog>();
        Services.AddScoped<ReasonReview>();
        AddAuthorization().SetAuthorized("lead@example.com").SetRoles(StaffRoles.SupportLead);
        SetRendererInfo(new RendererInfo("Server", isInteractive: true));
        JSInterop.Mode = JSRuntimeMode.Loose;
        var page = Render<ReviewQueuePage>();
        var first = page.WaitForElements("article.review-item", matchElementCount: 2, TimeSpan.FromSeconds(30))[0];
        var firstId = long.Parse(first.GetAttribute("aria-labelledby")!["answer-".Length..], System.Globalization.CultureInfo.InvariantCulture);

        // "2" chooses the second reason (service), Enter saves it; J on the remaining answer only moves the focus.
        await first.KeyDownAsync(new KeyboardEventArgs { Key = "2" });
        await page.Find("article.review-item").KeyDownAsync(new KeyboardEventArgs { Key = "Enter" });

        page.WaitForAssertion(() => Assert.Single(page.FindAll("article.review-item")), TimeSpan.FromSeconds(30));
        Assert.Contains("labelled “The service (customer support, staff)”", page.Find("[role=status]").TextContent, StringComparison.Ordinal);
        await using var scope = harness.Services.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<AppDbContext>();
        Assert.Equal("service", (await db.SurveyResponses.SingleAsync(r => r.Id == firstId)).HumanReason);
        Assert.Equal(1, await db.SurveyResponses.CountAsync(r => r.HumanReason == null));
        // The first answer had the focus on load, the next one after the save.
        Assert.Equal(2, JSInterop.Invocations.Count(i => i.Identifier.EndsWith("focus", StringComparison.Ordinal)));
    }

    private static async Task ClassifyAsync(IServiceProvider services)
    {
        await using var scope = services.CreateAsyncScope();
        await scope.ServiceProvider.GetRequiredService<ResponseClassifier>().ClassifyPendingAsync(CancellationToken.None);
    }

    private static async Task<int> CountAsync(ExitSurveyReview list, string reason) =>
        (await list.ListAsync(new ChurnFilter(Reason: reason), 1, CancellationToken.None)).Total;
}
