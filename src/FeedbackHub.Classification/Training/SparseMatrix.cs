namespace FeedbackHub.Classification.Training;

/// <summary>Rows of (column, value) pairs, stored both by row (for scores) and by column (for gradients).</summary>
internal sealed class SparseMatrix
{
    public SparseMatrix(int columns, int[] rowStarts, int[] columnIndexes, float[] values)
    {
        Columns = columns;
        RowStarts = rowStarts;
        ColumnIndexes = columnIndexes;
        Values = values;

        // The transposed copy: each column's rows in ascending order, so gradient sums are deterministic.
        ColumnStarts = new int[columns + 1];
        foreach (var c in columnIndexes)
        {
            ColumnStarts[c + 1]++;
        }

        for (var c = 0; c < columns; c++)
        {
            ColumnStarts[c + 1] += ColumnStarts[c];
        }

        RowIndexes = new int[values.Length];
        ColumnValues = new float[values.Length];
        var next = ColumnStarts[..^1];
        for (var r = 0; r < Rows; r++)
        {
            for (var i = rowStarts[r]; i < rowStarts[r + 1]; i++)
            {
                var position = next[columnIndexes[i]]++;
                RowIndexes[position] = r;
                ColumnValues[position] = values[i];
            }
        }
    }

    public int Rows => RowStarts.Length - 1;

    public int Columns { get; }

    public int[] RowStarts { get; }

    public int[] ColumnIndexes { get; }

    public float[] Values { get; }

    public int[] ColumnStarts { get; }

    public int[] RowIndexes { get; }

    public float[] ColumnValues { get; }

    public ReadOnlySpan<int> RowColumns(int row) => ColumnIndexes.AsSpan(RowStarts[row], RowStarts[row + 1] - RowStarts[row]);

    public ReadOnlySpan<float> RowValues(int row) => Values.AsSpan(RowStarts[row], RowStarts[row + 1] - RowStarts[row]);

    /// <summary>A matrix of the given rows, in the given order (for folds).</summary>
    public SparseMatrix SelectRows(IReadOnlyList<int> rows)
    {
        var starts = new int[rows.Count + 1];
        for (var i = 0; i < rows.Count; i++)
        {
            starts[i + 1] = starts[i] + (RowStarts[rows[i] + 1] - RowStarts[rows[i]]);
        }

        var columns = new int[starts[^1]];
        var values = new float[starts[^1]];
        for (var i = 0; i < rows.Count; i++)
        {
            RowColumns(rows[i]).CopyTo(columns.AsSpan(starts[i]));
            RowValues(rows[i]).CopyTo(values.AsSpan(starts[i]));
        }

        return new SparseMatrix(Columns, starts, columns, values);
    }
}
