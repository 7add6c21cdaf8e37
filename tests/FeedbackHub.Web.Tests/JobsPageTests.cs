using System.Net;
using Bunit;
using FeedbackHub.Data.Database;
using FeedbackHub.Data.Staff;
using FeedbackHub.Testing;
using FeedbackHub.Web.Features.Scheduling;
using Microsoft.AspNetCore.Components;
using Microsoft.Extensions.DependencyInjection;

namespace FeedbackHub.Web.Tests;

/// <summary>The admin Jobs page: served to admins only by the real app, and its "Run now" button against a real scheduler.</summary>
[Collection(PostgresCollection.Name)]
public sealed class JobsPageTests(PostgresServer postgres) : BunitContext
{
    [Fact]
    public async Task JobsPage_Admin_SeesEveryJobWithItsNextRun()
    {
        using var factory = new FeedbackHubFactory();
        await factory.CreateStaffAsync("admin@example.com", StaffRoles.Admin);
        using var session = new BrowserSession(factory.CreateBrowserLikeClient());
        (await session.LogInAsync("admin@example.com", FeedbackHubFactory.Password)).Dispose();

        var page = await session.GetPageAsync("/admin/jobs");

        Assert.Contains("outbox-housekeeping", page, StringComparison.Ordinal);
        Assert.Contains("import-uploads-cleanup", page, StringComparison.Ordinal);
        Assert.Matches(@"<td>\d{4}-\d{2}-\d{2} 03:30 UTC</td>", page);
        Assert.Contains("href=\"admin/jobs\"", page, StringComparison.Ordinal);
    }

    [Fact]
    public async Task JobsPage_Marketer_IsRefused()
    {
        using var factory = new FeedbackHubFactory();
        await factory.CreateStaffAsync("marketer@example.com", StaffRoles.Marketer);
        using var session = new BrowserSession(factory.CreateBrowserLikeClient());
        (await session.LogInAsync("marketer@example.com", FeedbackHubFactory.Password)).Dispose();

        using var response = await session.Client.GetAsync(new Uri("/admin/jobs", UriKind.Relative));

        Assert.Equal(HttpStatusCode.Forbidden, response.StatusCode);
    }

    [Fact]
    public async Task RunNow_Clicked_RunsTheJobThroughTheSchedulerAndConfirms()
    {
        using var database = await TestDatabase.CreateMigratedAsync(DatabaseProvider.Sqlite, postgres);
        await using var node = new SchedulerHarness(database);
        await node.StartAsync();
        Services.AddSingleton(node.Scheduler);
        AddAuthorization().SetAuthorized("admin@example.com").SetRoles(StaffRoles.Admin);
        SetRendererInfo(new RendererInfo("Server", isInteractive: true));
        var page = Render<JobsPage>();

        // The list loads asynchronously after the first render.
        page.WaitForElement("button[aria-label='Run now: probe']", TimeSpan.FromSeconds(30)).Click();

        page.WaitForAssertion(
            () => Assert.Contains("probe was started", page.Find("[role=status]").TextContent, StringComparison.Ordinal), TimeSpan.FromSeconds(30));
        Assert.True(await node.Runs.WaitAsync(TimeSpan.FromSeconds(30)), "Run now did not run the job.");
    }

    [Fact]
    public async Task RunNow_SchedulerOff_IsDisabledAndSaysWhy()
    {
        using var database = await TestDatabase.CreateMigratedAsync(DatabaseProvider.Sqlite, postgres);
        await using var node = new SchedulerHarness(database, enabled: false);
        await node.StartAsync();
        Services.AddSingleton(node.Scheduler);
        AddAuthorization().SetAuthorized("admin@example.com").SetRoles(StaffRoles.Admin);
        SetRendererInfo(new RendererInfo("Server", isInteractive: true));

        var page = Render<JobsPage>();

        var buttons = page.WaitForElements("button", matchElementCount: 2, TimeSpan.FromSeconds(30));
        Assert.All(buttons, button => Assert.True(button.HasAttribute("disabled")));
        Assert.Contains("Scheduler:Enabled", page.Markup, StringComparison.Ordinal);
    }
}
