using System.Net;
using System.Web;
using FeedbackHub.Data;
using FeedbackHub.Data.Staff;
using FeedbackHub.Testing;
using FeedbackHub.Web.Features.Auditing;
using FeedbackHub.Web.Features.Staff;
using Microsoft.AspNetCore.Identity;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace FeedbackHub.Web.Tests;

public sealed class FirstRunAndInvitationTests : IDisposable
{
    private const string GoodPassword = "orange kettle midnight harbour";
    private readonly FeedbackHubFactory _factory = new();

    [Fact]
    public async Task Startup_WithoutStaff_StoresOnlyAHashOfTheSetupToken()
    {
        _ = _factory.Services;
        await using var scope = _factory.Services.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<AppDbContext>();

        var stored = await db.SetupTokens.SingleAsync();

        Assert.Equal(64, stored.TokenHash.Length);
        Assert.True(stored.ExpiresAt > DateTimeOffset.UtcNow.AddHours(23));
    }

    [Fact]
    public async Task Setup_WithValidLink_CreatesTheFirstAdminOnceAndSignsIn()
    {
        var token = await IssueSetupTokenAsync();
        var url = $"/setup?token={token}";
        using var session = new BrowserSession(_factory.CreateBrowserLikeClient());
        // Looking at the page (as a mail scanner or a second tab would) never spends the link.
        Assert.Contains("Create the first admin", await session.GetPageAsync(url), StringComparison.Ordinal);
        Assert.Contains("Create the first admin", await session.GetPageAsync(url), StringComparison.Ordinal);

        using var created = await session.SubmitFormAsync(url, "setup", SetupForm("owner@example.com", GoodPassword));

        Assert.Equal(HttpStatusCode.Redirect, created.StatusCode);
        Assert.Contains("Welcome", await session.GetPageAsync("/"), StringComparison.Ordinal);
        Assert.Contains("owner@example.com", await session.GetPageAsync("/admin/staff"), StringComparison.Ordinal);
        Assert.Contains("Setup link not valid", await session.GetPageAsync(url), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Setup_WithCommonPassword_ExplainsAndKeepsTheLinkUsable()
    {
        var token = await IssueSetupTokenAsync();
        var url = $"/setup?token={token}";
        using var session = new BrowserSession(_factory.CreateBrowserLikeClient());

        using var refused = await session.SubmitFormAsync(url, "setup", SetupForm("owner@example.com", "Password1234!"));

        Assert.Equal(HttpStatusCode.OK, refused.StatusCode);
        Assert.Contains("too common", await refused.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        using var accepted = await session.SubmitFormAsync(url, "setup", SetupForm("owner@example.com", GoodPassword));
        Assert.Equal(HttpStatusCode.Redirect, accepted.StatusCode);
    }

    [Fact]
    public async Task Setup_WithShortPassword_SaysHowLongItMustBe()
    {
        var token = await IssueSetupTokenAsync();
        using var session = new BrowserSession(_factory.CreateBrowserLikeClient());

        using var refused = await session.SubmitFormAsync($"/setup?token={token}", "setup", SetupForm("owner@example.com", "short one"));

        Assert.Contains("at least 12 characters", await refused.Content.ReadAsStringAsync(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Setup_WithWrongToken_ShowsNoForm()
    {
        await IssueSetupTokenAsync();
        using var session = new BrowserSession(_factory.CreateBrowserLikeClient());

        var page = await session.GetPageAsync("/setup?token=not-the-token");

        Assert.Contains("Setup link not valid", page, StringComparison.Ordinal);
        Assert.DoesNotContain("<form", page, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Invitation_Accepted_SetsThePasswordOnceAndAllowsLogin()
    {
        var invitation = await InviteAsync("new.marketer@example.com", StaffRoles.Marketer);
        var link = StaffLinks.Invitation(new Uri("http://localhost/"), invitation);
        using var session = new BrowserSession(_factory.CreateBrowserLikeClient());

        using var accepted = await session.AcceptInvitationAsync(link.PathAndQuery, GoodPassword);

        Assert.Equal(HttpStatusCode.Redirect, accepted.StatusCode);
        using var login = await session.LogInAsync("new.marketer@example.com", GoodPassword);
        Assert.Equal(HttpStatusCode.Redirect, login.StatusCode);
        using var otherBrowser = new BrowserSession(_factory.CreateBrowserLikeClient());
        using var reused = await otherBrowser.AcceptInvitationAsync(link.PathAndQuery, "another fine password here");
        Assert.Contains("expired or has been used", await reused.Content.ReadAsStringAsync(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Invitation_WithTamperedCode_IsRefused()
    {
        var invitation = await InviteAsync("someone@example.com", StaffRoles.SupportLead);
        var link = StaffLinks.Invitation(new Uri("http://localhost/"), invitation);
        var query = HttpUtility.ParseQueryString(link.Query);
        var tampered = $"/account/accept-invitation?userId={query["userId"]}&code={query["code"]![..^4]}AAAA";
        using var session = new BrowserSession(_factory.CreateBrowserLikeClient());

        using var response = await session.AcceptInvitationAsync(tampered, GoodPassword);

        Assert.Contains("expired or has been used", await response.Content.ReadAsStringAsync(), StringComparison.Ordinal);
    }

    public void Dispose() => _factory.Dispose();

    private static Dictionary<string, string> SetupForm(string email, string password) => new()
    {
        ["Input.Email"] = email,
        ["Input.Password"] = password,
        ["Input.ConfirmPassword"] = password,
    };

    private async Task<string> IssueSetupTokenAsync()
    {
        await using var scope = _factory.Services.CreateAsyncScope();
        return (await scope.ServiceProvider.GetRequiredService<FirstRunSetup>().IssueTokenIfNoStaffAsync(CancellationToken.None))!;
    }

    private async Task<Invitation> InviteAsync(string email, string role)
    {
        var admin = await _factory.CreateStaffAsync("admin@example.com", StaffRoles.Admin);
        await using var scope = _factory.Services.CreateAsyncScope();
        var result = await scope.ServiceProvider.GetRequiredService<StaffAdministration>()
            .InviteAsync(new Actor(admin.Id, admin.Email!), email, null, [role], CancellationToken.None);
        Assert.True(result.Succeeded, string.Join(" ", result.Errors));
        var users = scope.ServiceProvider.GetRequiredService<UserManager<StaffUser>>();
        Assert.Null((await users.FindByEmailAsync(email))!.PasswordHash);
        return result.Value!;
    }
}
