using System.Net.Http.Headers;
using FeedbackHub.Web.Features.ApiKeys;
using FeedbackHub.Web.Features.Auditing;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.Extensions.DependencyInjection;

namespace FeedbackHub.Testing;

public static class ApiClients
{
    /// <summary>A client that calls the API with a fresh key holding <paramref name="scopes"/>.</summary>
    public static async Task<HttpClient> CreateApiClientAsync(this WebApplicationFactory<Program> app, params string[] scopes)
    {
        ArgumentNullException.ThrowIfNull(app);
        await using var services = app.Services.CreateAsyncScope();
        var created = await services.ServiceProvider.GetRequiredService<ApiKeyService>().CreateAsync(Actor.System, "test key", scopes, CancellationToken.None);
        var client = app.CreateClient();
        client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", created.Value!.Secret);
        return client;
    }
}
