using System.Net;
using Bunit;
using FeedbackHub.Data;
using FeedbackHub.Data.Database;
using FeedbackHub.Data.Staff;
using FeedbackHub.Testing;
using FeedbackHub.Web.Features.Auditing;
using FeedbackHub.Web.Features.Reasons;
using FeedbackHub.Web.Features.Reasons.Pages;
using FeedbackHub.Web.Features.Scheduling;
using Microsoft.AspNetCore.Components;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;

namespace FeedbackHub.Web.Tests;

/// <summary>The admin's Reason models page: what it says before any training, custom reasons, Retrain now through the real scheduler, figures and rollback.</summary>
public sealed class ReasonModelsPageTests : BunitContext
{
    [Fact]
    public async Task ReasonModelsPage_FreshInstall_SaysWhyRetrainingWouldNotTrain()
    {
        using var factory = new FeedbackHubFactory();
        using var session = await factory.SignedInAsync("admin@example.com", StaffRoles.Admin);

        var page = await session.GetPageAsync("/admin/reason-models");

        Assert.Contains("<h1>Reason models</h1>", page, StringComparison.Ordinal);
        Assert.Contains("Retraining now would not train: Only 0 labelled answer(s) are held out for judging", page, StringComparison.Ordinal);
        Assert.Contains("3,030 from the bundled corpus", page, StringComparison.Ordinal);
        Assert.Contains("href=\"admin/reason-models\"", page, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData(StaffRoles.SupportLead)]
    [InlineData(StaffRoles.Marketer)]
    public async Task ReasonModelsPage_NotAnAdmin_IsRefused(string role)
    {
        using var factory = new FeedbackHubFactory();
        using var session = await factory.SignedInAsync("staff@example.com", role);

        using var response = await session.Client.GetAsync(new Uri("/admin/reason-models", UriKind.Relative));

        Assert.Equal(HttpStatusCode.Forbidden, response.StatusCode);
    }

    [Fact]
    public async Task CustomReason_InvalidThenValid_IsRefusedPreciselyThenListedWithWhatItStillNeeds()
    {
        using var factory = new FeedbackHubFactory();
        var page = RenderPage(factory);
        page.WaitForElement("#custom-key", TimeSpan.FromSeconds(30));

        page.Find("#custom-key").Change("Moved Abroad");
        page.Find("#custom-english").Change("");
        page.Find("form").Submit();

        page.WaitForAssertion(() =>
        {
            var alert = page.Find("[role=alert]").TextContent;
            Assert.Contains("A key is 1–40 lower-case letters, digits or hyphens", alert, StringComparison.Ordinal);
            Assert.Contains("Give the English label.", alert, StringComparison.Ordinal);
            Assert.Contains("Give the Dutch label.", alert, StringComparison.Ordinal);
        }, TimeSpan.FromSeconds(30));

        page.Find("#custom-key").Change("moved");
        page.Find("#custom-english").Change("Moved away");
        page.Find("#custom-dutch").Change("Verhuisd");
        page.Find("form").Submit();

        page.WaitForAssertion(() => Assert.Contains("needs 20 more labelled answer(s)", page.Markup, StringComparison.Ordinal), TimeSpan.FromSeconds(30));
        Assert.Contains("Reason 'moved' added.", page.Find("[role=status]").TextContent, StringComparison.Ordinal);
        await using var scope = factory.Services.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<AppDbContext>();
        Assert.Equal(("Moved away", "Verhuisd", "admin@example.com"), await db.CustomReasons.Select(r => ValueTuple.Create(r.LabelEnglish, r.LabelDutch, r.CreatedBy)).SingleAsync());
        Assert.Equal("reason:moved", (await db.AuditLog.SingleAsync(a => a.Action == FeedbackHub.Data.Auditing.AuditActions.CustomReasonAdded)).Target);
    }

    [Fact]
    public async Task RetrainNow_RunsInTheBackground_ThenFiguresAndRollback()
    {
        using var factory = new FeedbackHubFactory();
        var texts = new[]
        {
            ("Far too expensive for what it is.", "price"), ("The helpdesk never called me back.", "service"),
            ("The box arrived crushed and a week late.", "experience"), ("We are moving abroad next month.", "other"),
        };
        var ids = await ExitSurveys.AddAnswersAsync(factory.Services, [.. Enumerable.Range(0, 120).Select(i => texts[i % texts.Length])]);
        await using (var scope = factory.Services.CreateAsyncScope())
        {
            var db = scope.ServiceProvider.GetRequiredService<AppDbContext>();
            await db.SurveyResponses.ExecuteUpdateAsync(s => s.SetProperty(r => r.HumanReason, r => r.Reason));
        }

        var page = RenderPage(factory);
        var retrain = page.WaitForElement("button.primary:not([disabled])", TimeSpan.FromSeconds(30));
        Assert.Equal("Retrain now", retrain.TextContent);

        await retrain.ClickAsync();

        page.WaitForAssertion(
            () => Assert.Contains("v2 promoted: Promoted: macro-F1 ", page.Find("[role=status]").TextContent, StringComparison.Ordinal), TimeSpan.FromSeconds(90));
        Assert.Contains("Nothing new since v2", page.Markup, StringComparison.Ordinal);
        await page.Find("button[aria-label='Figures of v2']").ClickAsync();
        page.WaitForAssertion(() => Assert.Contains("Confusion matrix", page.Markup, StringComparison.Ordinal), TimeSpan.FromSeconds(30));
        Assert.Equal(ids.Count(HeldOutSplit.IsHeldOut), page.FindAll("table.confusion tbody td").Sum(c => int.Parse(c.TextContent, System.Globalization.CultureInfo.InvariantCulture)));

        await page.Find("button[aria-label='Make v1 active']").ClickAsync();
        await page.Find("button.primary.small").ClickAsync();

        page.WaitForAssertion(() => Assert.Contains("v1 is the active model", page.Find("[role=status]").TextContent, StringComparison.Ordinal), TimeSpan.FromSeconds(30));
        await using var check = factory.Services.CreateAsyncScope();
        Assert.Equal(1, await check.ServiceProvider.GetRequiredService<AppDbContext>().ReasonModels.Where(m => m.IsActive).Select(m => m.Id).SingleAsync());
    }

    /// <summary>The page rendered interactively against the real app's database and scheduler, as an admin.</summary>
    private IRenderedComponent<ReasonModelsPage> RenderPage(FeedbackHubFactory factory)
    {
        var app = factory.Services;
        Services.AddSingleton(app.GetRequiredService<JobScheduler>());
        Services.AddSingleton(app.GetRequiredService<ActiveReasonModel>());
        Services.AddSingleton(app.GetRequiredService<IOptions<ReasonOptions>>());
        Services.AddSingleton(TimeProvider.System);
        Services.AddDbContext<AppDbContext>(app.GetRequiredService<DatabaseSettings>().Configure);
        Services.AddScoped<AuditTrail>();
        Services.AddScoped<ReasonCatalog>();
        Services.AddScoped<ReasonRetrainer>();
        Services.AddScoped<ReasonModelAdministration>();
        AddAuthorization().SetAuthorized("admin@example.com").SetRoles(StaffRoles.Admin);
        SetRendererInfo(new RendererInfo("Server", isInteractive: true));
        return Render<ReasonModelsPage>();
    }
}
