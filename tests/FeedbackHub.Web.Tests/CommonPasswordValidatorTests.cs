using FeedbackHub.Web.Features.Staff;

namespace FeedbackHub.Web.Tests;

public sealed class CommonPasswordValidatorTests
{
    [Theory]
    [InlineData("password1234")]
    [InlineData("Password1234!")]
    [InlineData("Welkom2026!!!")]
    [InlineData("!!!welcome2026")]
    [InlineData("qwertyuiop123")]
    [InlineData("123456789012")]
    [InlineData("abcdefghijklmn")]
    [InlineData("zyxwvutsrqpon")]
    [InlineData("aaaaaaaaaaaaaa")]
    [InlineData("abcabcabcabcabc")]
    [InlineData("1q2w3e4r5t6y")]
    [InlineData("FeedbackHub2026")]
    [InlineData("correcthorsebatterystaple")]
    public void IsGuessable_CommonOrPatterned_IsTrue(string password) =>
        Assert.True(CommonPasswordValidator.IsGuessable(password, "someone@example.com"));

    [Fact]
    public void IsGuessable_ContainsTheEmailName_IsTrue() =>
        Assert.True(CommonPasswordValidator.IsGuessable("marloes.visser is great", "marloes.visser@example.nl"));

    [Theory]
    [InlineData("orange kettle midnight harbour")]
    [InlineData("tulip-bicycle-canal-42")]
    [InlineData("8f3K!q9zW2mL")]
    public void IsGuessable_LongUnrelatedWordsOrRandom_IsFalse(string password) =>
        Assert.False(CommonPasswordValidator.IsGuessable(password, "someone@example.com"));
}
