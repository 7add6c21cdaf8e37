using FeedbackHub.Classification.Data;

namespace FeedbackHub.Classification.Tests;

/// <summary>Small labelled sets each test builds for itself.</summary>
internal static class TrainingData
{
    /// <summary>Four reasons with words of their own: any working trainer separates them perfectly.</summary>
    public static List<LabeledText> Separable() =>
    [
        new("too expensive", "price"),
        new("the price is too high", "price"),
        new("cheaper elsewhere", "price"),
        new("te duur", "price"),
        new("veel te duur geworden", "price"),
        new("de prijs is te hoog", "price"),
        new("support never answered", "service"),
        new("rude support staff", "service"),
        new("klantenservice reageert niet", "service"),
        new("de klantenservice was onbeschoft", "service"),
        new("nobody answered my email", "service"),
        new("slow replies from support", "service"),
        new("the app keeps crashing", "experience"),
        new("it arrived broken", "experience"),
        new("de app crasht", "experience"),
        new("kapot aangekomen", "experience"),
        new("the food was bland", "experience"),
        new("the shirt shrank", "experience"),
        new("moving abroad", "other"),
        new("I moved to Spain", "other"),
        new("ik ga verhuizen", "other"),
        new("no longer needed", "other"),
        new("niet meer nodig", "other"),
        new("we are moving house", "other"),
    ];
}
