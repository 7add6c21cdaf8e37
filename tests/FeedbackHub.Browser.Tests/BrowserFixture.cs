using FeedbackHub.Testing;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Playwright;

namespace FeedbackHub.Browser.Tests;

/// <summary>
/// Debian's Chromium (installed by tests/run.sh) driven by Playwright; Playwright never downloads a
/// browser of its own here.
/// </summary>
public sealed class BrowserFixture : IAsyncLifetime
{
    public const string ChromiumPath = "/usr/bin/chromium";

    private IPlaywright? _playwright;

    public IBrowser Browser { get; private set; } = default!;

    public async Task InitializeAsync()
    {
        if (!File.Exists(ChromiumPath))
        {
            throw new InvalidOperationException($"{ChromiumPath} is missing: install Debian's 'chromium' package (tests/run.sh does).");
        }

        _playwright = await Playwright.CreateAsync();
        Browser = await _playwright.Chromium.LaunchAsync(new BrowserTypeLaunchOptions
        {
            ExecutablePath = ChromiumPath,
            Headless = true,
            Args =
            [
                "--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking",
                "--disable-component-update", "--disable-sync", "--no-first-run",
            ],
        });
    }

    /// <summary>The real app on Kestrel at a free loopback port, for the browser to reach.</summary>
    public static FeedbackHubFactory StartApp(IReadOnlyDictionary<string, string>? settings = null)
    {
        var app = new FeedbackHubFactory(settings: settings);
        app.UseKestrel(0);
        app.StartServer();
        return app;
    }

    /// <summary>A fresh browser context (own cookies) pointed at the app.</summary>
    public Task<IBrowserContext> NewContextAsync(FeedbackHubFactory app, bool javaScript = true) =>
        Browser.NewContextAsync(new()
        {
            BaseURL = app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First(),
            JavaScriptEnabled = javaScript,
        });

    /// <summary>A fresh context that looks like a phone (390 × 844, touch), as most customers open survey emails.</summary>
    public Task<IBrowserContext> NewPhoneContextAsync(FeedbackHubFactory app, bool javaScript = true) =>
        Browser.NewContextAsync(new()
        {
            BaseURL = app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First(),
            JavaScriptEnabled = javaScript,
            ViewportSize = new() { Width = 390, Height = 844 },
            IsMobile = true,
            HasTouch = true,
        });

    public static async Task LogInAsync(IPage page, string email, string password)
    {
        ArgumentNullException.ThrowIfNull(page);
        await page.GotoAsync("/account/login");
        await page.GetByLabel("Email").FillAsync(email);
        await page.GetByLabel("Password").FillAsync(password);
        await page.GetByRole(AriaRole.Button, new() { Name = "Log in" }).ClickAsync();
    }

    public async Task DisposeAsync()
    {
        if (Browser is not null)
        {
            await Browser.DisposeAsync();
        }

        _playwright?.Dispose();
    }
}

[CollectionDefinition(Name)]
public sealed class BrowserCollection : ICollectionFixture<BrowserFixture>
{
    public const string Name = "browser";
}
