using FeedbackHub.Data.Staff;
using FeedbackHub.Testing;
using FeedbackHub.Web.Features.Analytics.Pages;
using FeedbackHub.Web.Features.DemoData;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Playwright;

namespace FeedbackHub.Browser.Tests;

/// <summary>
/// A marketer opens every dashboard on the demo data in real Chromium: each page shows its figures
/// (not a loading or empty state), passes axe, and is saved as a screenshot (bin/…/screenshots/dashboards).
/// </summary>
[Collection(BrowserCollection.Name)]
public sealed class DashboardJourneyTests(BrowserFixture browser) : IDisposable
{
    private readonly FeedbackHubFactory _app = BrowserFixture.StartApp();

    [Fact]
    public async Task Marketer_OpensEveryDashboardOnDemoData()
    {
        await using (var scope = _app.Services.CreateAsyncScope())
        {
            await scope.ServiceProvider.GetRequiredService<DemoDataGenerator>().SeedAsync(new DemoDataOptions(), progress: null, CancellationToken.None);
        }

        await _app.CreateStaffAsync("marketer@example.com", StaffRoles.Marketer);
        await using var context = await browser.NewContextAsync(_app);
        var page = await context.NewPageAsync();
        await BrowserFixture.LogInAsync(page, "marketer@example.com", FeedbackHubFactory.Password);
        var folder = Path.Combine(AppContext.BaseDirectory, "screenshots", "dashboards");
        Directory.CreateDirectory(folder);
        var violations = new List<string>();

        foreach (var (path, label) in DashboardNav.Pages)
        {
            await page.GotoAsync("/" + path);
            await Assertions.Expect(page.Locator("h1")).ToBeVisibleAsync();
            await Assertions.Expect(page.Locator("[aria-busy=true]")).ToHaveCountAsync(0, new() { Timeout = 30_000 });
            await Assertions.Expect(page.Locator(".empty-state")).ToHaveCountAsync(0);
            await Assertions.Expect(page.Locator(".dashboard-nav a[aria-current=page]")).ToHaveTextAsync(label);
            violations.AddRange(await Axe.ViolationsAsync(page));
            await page.ScreenshotAsync(new() { Path = Path.Combine(folder, path.Replace('/', '-') + ".png"), FullPage = true });
        }

        Assert.True(violations.Count == 0, string.Join("\n", violations));
    }

    public void Dispose() => _app.Dispose();
}
