using Bunit;
using FeedbackHub.Data;
using FeedbackHub.Data.ApiKeys;
using FeedbackHub.Data.Auditing;
using FeedbackHub.Data.Database;
using FeedbackHub.Data.Staff;
using FeedbackHub.Testing;
using FeedbackHub.Web.Features.Analytics.Pages;
using FeedbackHub.Web.Features.Auditing;
using FeedbackHub.Web.Features.Customers;
using FeedbackHub.Web.Features.Email;
using FeedbackHub.Web.Features.Privacy;
using Microsoft.AspNetCore.Components;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;

namespace FeedbackHub.Web.Tests;

/// <summary>The admin erases a customer from the customer page, confirming with their address.</summary>
public sealed class CustomerErasurePageTests : BunitContext
{
    [Fact]
    public async Task CustomerPage_AdminTypesTheAddress_ThenErases_AndThePageShowsTheErasedCustomer()
    {
        using var app = new FeedbackHubFactory(settings: new Dictionary<string, string> { ["Scheduler:Enabled"] = "false" });
        var externalId = await CustomerExportTests.RichCustomerAsync(app);
        long id;
        await using (var scope = app.Services.CreateAsyncScope())
        {
            id = await scope.ServiceProvider.GetRequiredService<AppDbContext>().Customers.Where(c => c.ExternalId == externalId).Select(c => c.Id).SingleAsync();
        }

        Services.AddDbContext<AppDbContext>(app.Services.GetRequiredService<DatabaseSettings>().Configure);
        Services.AddSingleton(app.Services.GetRequiredService<IOptions<EmailOptions>>());
        Services.AddSingleton(app.Services.GetRequiredService<IOptions<PrivacyOptions>>());
        Services.AddSingleton(TimeProvider.System);
        Services.AddScoped<AuditTrail>();
        Services.AddScoped<EmailConsent>();
        Services.AddScoped<CustomerDirectory>();
        Services.AddScoped<CustomerPrivacy>();
        AddAuthorization().SetAuthorized("admin@example.com").SetRoles(StaffRoles.Admin);
        SetRendererInfo(new RendererInfo("Server", isInteractive: true));
        var page = Render<CustomerPage>(p => p.Add(c => c.CustomerId, id));
        page.WaitForElement("button.danger", TimeSpan.FromSeconds(30));

        await page.Find("button.danger").ClickAsync();
        page.Find("#erase-confirm").Input("someone.else@example.nl");
        Assert.True(page.Find("form button[type=submit]").HasAttribute("disabled"));
        page.Find("#erase-confirm").Input("ANNA@example.nl");
        Assert.False(page.Find("form button[type=submit]").HasAttribute("disabled"));
        await page.Find("form").SubmitAsync();

        page.WaitForAssertion(() => Assert.Matches($@"Customer {id} erased: \d+ waiting email\(s\) cancelled, 1 survey answer\(s\) emptied\.", page.Find("[role=status]").TextContent), TimeSpan.FromSeconds(30));
        Assert.Contains("This customer's personal data was erased.", page.Markup, StringComparison.Ordinal);
        Assert.DoesNotContain("anna@example.nl", page.Markup, StringComparison.Ordinal);
        Assert.DoesNotContain("Too expensive since the new prices.", page.Markup, StringComparison.Ordinal);
        await using var check = app.Services.CreateAsyncScope();
        var audit = await check.ServiceProvider.GetRequiredService<AppDbContext>().AuditLog.AsNoTracking().SingleAsync(a => a.Action == AuditActions.CustomerErased);
        Assert.Equal(("admin@example.com", $"customer:{id}"), (audit.ActorName, audit.Target));
        using var api = await app.CreateApiClientAsync(ApiScopes.Privacy);
        using var again = await api.PostAsync(new Uri($"/api/v1/customers/{externalId}/erase", UriKind.Relative), null);
        Assert.Contains("\"alreadyErased\"", await again.Content.ReadAsStringAsync(), StringComparison.Ordinal);
    }
}
