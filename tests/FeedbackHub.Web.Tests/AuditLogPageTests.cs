using System.Net;
using Bunit;
using FeedbackHub.Data;
using FeedbackHub.Data.Auditing;
using FeedbackHub.Data.Database;
using FeedbackHub.Data.Staff;
using FeedbackHub.Testing;
using FeedbackHub.Web.Features.Auditing;
using Microsoft.AspNetCore.Components;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace FeedbackHub.Web.Tests;

/// <summary>The admin's audit page: newest first, filters, paging, empty state, and who may see it.</summary>
[Collection(PostgresCollection.Name)]
public sealed class AuditLogPageTests(PostgresServer postgres) : BunitContext
{
    private static readonly DateTimeOffset Day = new(2026, 11, 20, 9, 0, 0, TimeSpan.Zero);

    [Theory]
    [InlineData(DatabaseProvider.Sqlite)]
    [InlineData(DatabaseProvider.Postgres)]
    public async Task Search_FiltersByActionActorDaysAndText_NewestFirst(DatabaseProvider provider)
    {
        using var database = await TestDatabase.CreateMigratedAsync(provider, postgres);
        await using (var db = database.CreateContext())
        {
            db.AuditLog.AddRange(
                Entry(Day.AddDays(-2), "ann@shop.nl", AuditActions.LoginSucceeded, null, null),
                Entry(Day.AddDays(-1), "bob@shop.nl", AuditActions.ApiKeyCreated, "apikey:12ab", "name: Webshop; scopes: ingest"),
                Entry(Day, "ann@shop.nl", AuditActions.CustomerErased, "customer:7", "1 pending emails cancelled"),
                Entry(Day.AddHours(1), "unknown", AuditActions.LoginFailed, null, "account disabled"));
            await db.SaveChangesAsync();
        }

        await using var context = database.CreateContext();
        var search = new AuditLogSearch(context);
        async Task<string[]> Actions(AuditFilter filter) => [.. (await search.SearchAsync(filter, 1, CancellationToken.None)).Rows.Select(r => r.Action)];

        Assert.Equal([AuditActions.LoginFailed, AuditActions.CustomerErased, AuditActions.ApiKeyCreated, AuditActions.LoginSucceeded], await Actions(AuditFilter.None));
        Assert.Equal([AuditActions.ApiKeyCreated], await Actions(new AuditFilter(Action: AuditActions.ApiKeyCreated)));
        Assert.Equal([AuditActions.CustomerErased, AuditActions.LoginSucceeded], await Actions(new AuditFilter(Actor: "ann@")));
        Assert.Equal([AuditActions.LoginFailed, AuditActions.CustomerErased], await Actions(new AuditFilter(From: DateOnly.FromDateTime(Day.UtcDateTime), To: DateOnly.FromDateTime(Day.UtcDateTime))));
        Assert.Equal([AuditActions.ApiKeyCreated], await Actions(new AuditFilter(Text: "Webshop")));
        Assert.Equal([AuditActions.CustomerErased], await Actions(new AuditFilter(Text: "customer:7")));
        Assert.Empty(await Actions(new AuditFilter(Action: AuditActions.CustomerErased, Actor: "bob")));
    }

    [Fact]
    public async Task AuditPage_ManyEntries_PagesNewestFirst_AndAFilterWithoutMatchesSaysSo()
    {
        using var app = new FeedbackHubFactory();
        await using (var scope = app.Services.CreateAsyncScope())
        {
            var db = scope.ServiceProvider.GetRequiredService<AppDbContext>();
            db.AuditLog.AddRange(Enumerable.Range(0, AuditLogSearch.PageSize + 5).Select(i =>
                Entry(Day.AddMinutes(i), $"staff{i}@shop.nl", i % 2 == 0 ? AuditActions.DashboardExported : AuditActions.ReasonLabelled, $"target-{i}", null)));
            await db.SaveChangesAsync();
        }

        Services.AddDbContext<AppDbContext>(app.Services.GetRequiredService<DatabaseSettings>().Configure);
        Services.AddScoped<AuditLogSearch>();
        AddAuthorization().SetAuthorized("admin@example.com").SetRoles(StaffRoles.Admin);
        SetRendererInfo(new RendererInfo("Server", isInteractive: true));
        var page = Render<AuditLogPage>();
        page.WaitForAssertion(() => Assert.Contains("Page 1 of 2", page.Markup, StringComparison.Ordinal), TimeSpan.FromSeconds(30));

        Assert.Equal("target-54", page.Find("table.grid tbody tr td:nth-child(4)").TextContent);
        await page.Find("nav.pager button:last-child").ClickAsync();
        page.WaitForAssertion(() => Assert.Contains("Page 2 of 2", page.Markup, StringComparison.Ordinal), TimeSpan.FromSeconds(30));
        Assert.Equal(5, page.FindAll("table.grid tbody tr").Count);

        page.Find("#audit-action").Change(AuditActions.ReasonLabelled);
        page.Find("#audit-actor").Change("staff53@");
        await page.Find("form").SubmitAsync();
        page.WaitForAssertion(() => Assert.Single(page.FindAll("table.grid tbody tr")), TimeSpan.FromSeconds(30));

        page.Find("#audit-text").Change("no such thing");
        await page.Find("form").SubmitAsync();
        page.WaitForAssertion(() => Assert.Contains("No audit entry matches these filters.", page.Markup, StringComparison.Ordinal), TimeSpan.FromSeconds(30));
    }

    [Fact]
    public async Task AuditPage_OverHttp_AdminSeesTheirOwnLogin_OthersAreRefused()
    {
        using var app = new FeedbackHubFactory();
        using var admin = await app.SignedInAsync("admin@example.com", StaffRoles.Admin);
        using var marketer = await app.SignedInAsync("marketer@example.com", StaffRoles.Marketer);

        var page = await admin.GetPageAsync("/admin/audit");
        using var refused = await marketer.Client.GetAsync(new Uri("/admin/audit", UriKind.Relative));

        Assert.Contains("<h1>Audit log</h1>", page, StringComparison.Ordinal);
        Assert.Contains(AuditActions.LoginSucceeded, page, StringComparison.Ordinal);
        Assert.Contains("href=\"admin/audit\"", page, StringComparison.Ordinal);
        Assert.Equal(HttpStatusCode.Forbidden, refused.StatusCode);
    }

    private static AuditEntry Entry(DateTimeOffset at, string actor, string action, string? target, string? details) =>
        new() { OccurredAt = at, ActorName = actor, Action = action, Target = target, Details = details };
}
