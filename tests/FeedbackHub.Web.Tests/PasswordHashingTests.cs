using System.Buffers.Binary;
using FeedbackHub.Data.Staff;
using FeedbackHub.Testing;
using Microsoft.AspNetCore.Identity;
using Microsoft.Extensions.DependencyInjection;

namespace FeedbackHub.Web.Tests;

public sealed class PasswordHashingTests : IDisposable
{
    private readonly FeedbackHubFactory _factory = new();

    [Fact]
    public async Task StoredHash_UsesPbkdf2WithAtLeast220000Iterations()
    {
        var user = await _factory.CreateStaffAsync("hash@example.com", StaffRoles.Marketer);
        await using var scope = _factory.Services.CreateAsyncScope();
        var stored = (await scope.ServiceProvider.GetRequiredService<UserManager<StaffUser>>().FindByIdAsync(user.Id))!.PasswordHash!;

        // Identity v3 format: 0x01, PRF (4 bytes), iteration count (4 bytes, big-endian), salt length, salt, subkey.
        var bytes = Convert.FromBase64String(stored);
        Assert.Equal(0x01, bytes[0]);
        var iterations = BinaryPrimitives.ReadUInt32BigEndian(bytes.AsSpan(5, 4));
        Assert.True(iterations >= 220_000, $"PBKDF2 uses {iterations} iterations.");
    }

    public void Dispose() => _factory.Dispose();
}
