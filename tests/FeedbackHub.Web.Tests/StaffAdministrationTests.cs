using FeedbackHub.Data;
using FeedbackHub.Data.Auditing;
using FeedbackHub.Data.Staff;
using FeedbackHub.Testing;
using FeedbackHub.Web.Features;
using FeedbackHub.Web.Features.Auditing;
using FeedbackHub.Web.Features.Staff;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace FeedbackHub.Web.Tests;

public sealed class StaffAdministrationTests : IDisposable
{
    private readonly FeedbackHubFactory _factory = new();

    [Fact]
    public async Task SetRoles_RemovingAdminFromTheLastAdmin_IsRefused()
    {
        var admin = await _factory.CreateStaffAsync("only.admin@example.com", StaffRoles.Admin);

        var result = await RunAsync(s => s.SetRolesAsync(As(admin), admin.Id, [StaffRoles.Marketer], CancellationToken.None));

        Assert.False(result.Succeeded);
        Assert.Contains("At least one active admin", Assert.Single(result.Errors), StringComparison.Ordinal);
        Assert.Equal([StaffRoles.Admin], await RolesOfAsync("only.admin@example.com"));
    }

    [Fact]
    public async Task SetRoles_WithAnotherAdmin_ChangesRolesAndAudits()
    {
        var admin = await _factory.CreateStaffAsync("admin@example.com", StaffRoles.Admin);
        var colleague = await _factory.CreateStaffAsync("colleague@example.com", StaffRoles.Marketer);

        var result = await RunAsync(s => s.SetRolesAsync(As(admin), colleague.Id, [StaffRoles.SupportLead, StaffRoles.Marketer], CancellationToken.None));

        Assert.True(result.Succeeded, string.Join(" ", result.Errors));
        Assert.Equal([StaffRoles.Marketer, StaffRoles.SupportLead], await RolesOfAsync("colleague@example.com"));
        Assert.True(await AuditedAsync(AuditActions.RolesChanged));
    }

    [Fact]
    public async Task Disable_Yourself_IsRefused()
    {
        var admin = await _factory.CreateStaffAsync("admin@example.com", StaffRoles.Admin);
        await _factory.CreateStaffAsync("second.admin@example.com", StaffRoles.Admin);

        var result = await RunAsync(s => s.DisableAsync(As(admin), admin.Id, CancellationToken.None));

        Assert.Contains("your own account", Assert.Single(result.Errors), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Invite_ExistingEmail_IsRefusedAndChangesNothing()
    {
        var admin = await _factory.CreateStaffAsync("admin@example.com", StaffRoles.Admin);

        var result = await RunAsync(s => s.InviteAsync(As(admin), "admin@example.com", null, [StaffRoles.Marketer], CancellationToken.None));

        Assert.Contains("already exists", Assert.Single(result.Errors), StringComparison.Ordinal);
        Assert.Equal([StaffRoles.Admin], await RolesOfAsync("admin@example.com"));
    }

    [Theory]
    [InlineData("not-an-email", StaffRoles.Marketer, "not a valid email address")]
    [InlineData("ok@example.com", "Owner", "Unknown role")]
    [InlineData("", StaffRoles.Marketer, "not a valid email address")]
    public async Task Invite_BadInput_SaysWhatIsWrongAndCreatesNobody(string email, string role, string expected)
    {
        var admin = await _factory.CreateStaffAsync("admin@example.com", StaffRoles.Admin);

        var result = await RunAsync(s => s.InviteAsync(As(admin), email, null, [role], CancellationToken.None));

        Assert.Contains(result.Errors, e => e.Contains(expected, StringComparison.Ordinal));
        await using var scope = _factory.Services.CreateAsyncScope();
        Assert.Equal(1, await scope.ServiceProvider.GetRequiredService<AppDbContext>().Users.CountAsync());
    }

    [Fact]
    public async Task List_ShowsStatusOfEachAccount()
    {
        var admin = await _factory.CreateStaffAsync("admin@example.com", StaffRoles.Admin);
        var disabled = await _factory.CreateStaffAsync("gone@example.com", StaffRoles.Marketer);
        await RunAsync(s => s.DisableAsync(As(admin), disabled.Id, CancellationToken.None));
        await RunAsync(s => s.InviteAsync(As(admin), "new@example.com", "New Person", [StaffRoles.SupportLead], CancellationToken.None));

        await using var scope = _factory.Services.CreateAsyncScope();
        var members = await scope.ServiceProvider.GetRequiredService<StaffAdministration>().ListAsync(CancellationToken.None);

        Assert.Equal(
            [("admin@example.com", StaffStatus.Active), ("gone@example.com", StaffStatus.Disabled), ("new@example.com", StaffStatus.Invited)],
            members.Select(m => (m.Email, m.Status)));
        Assert.Equal("New Person", members.Single(m => m.Email == "new@example.com").DisplayName);
    }

    public void Dispose() => _factory.Dispose();

    private static Actor As(StaffUser user) => new(user.Id, user.Email!);

    private async Task<OperationResult<T>> RunAsync<T>(Func<StaffAdministration, Task<OperationResult<T>>> operation)
    {
        await using var scope = _factory.Services.CreateAsyncScope();
        return await operation(scope.ServiceProvider.GetRequiredService<StaffAdministration>());
    }

    private async Task<IReadOnlyList<string>> RolesOfAsync(string email)
    {
        await using var scope = _factory.Services.CreateAsyncScope();
        var members = await scope.ServiceProvider.GetRequiredService<StaffAdministration>().ListAsync(CancellationToken.None);
        return members.Single(m => m.Email == email).Roles;
    }

    private async Task<bool> AuditedAsync(string action)
    {
        await using var scope = _factory.Services.CreateAsyncScope();
        return await scope.ServiceProvider.GetRequiredService<AppDbContext>().AuditLog.AnyAsync(a => a.Action == action);
    }
}
