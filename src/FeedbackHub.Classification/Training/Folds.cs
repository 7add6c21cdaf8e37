namespace FeedbackHub.Classification.Training;

/// <summary>Stratified fold assignment: every fold gets about the same share of each label, shuffled by a seed.</summary>
internal static class Folds
{
    public static int[] Stratified(IReadOnlyList<int> labels, int labelCount, int folds, int seed)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(folds, 2);
        var random = new Random(seed);
        var foldOf = new int[labels.Count];
        var next = 0;
        for (var label = 0; label < labelCount; label++)
        {
            var members = Enumerable.Range(0, labels.Count).Where(i => labels[i] == label).ToArray();
            random.Shuffle(members);
            foreach (var member in members)
            {
                // Continuing the round-robin across labels keeps fold sizes within one of each other.
                foldOf[member] = next;
                next = (next + 1) % folds;
            }
        }

        return foldOf;
    }
}
