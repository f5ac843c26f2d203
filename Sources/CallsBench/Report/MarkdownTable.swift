/// A Markdown table: a header row and rows of cells, rendered with `|` separators.
struct MarkdownTable {
    /// The column titles.
    var headers: [String]
    /// The rows, each as many cells as there are headers.
    var rows: [[String]] = []
    /// Columns (by index) aligned right: the numbers.
    var numericColumns: Set<Int> = []

    /// Appends one row.
    mutating func add(_ cells: String...) {
        rows.append(cells)
    }

    /// The table's lines, ending with a newline.
    var rendered: String {
        let separator = headers.indices.map { numericColumns.contains($0) ? "---:" : "---" }
        return ([headers, separator] + rows).map { "| " + $0.joined(separator: " | ") + " |" }.joined(separator: "\n")
            + "\n"
    }
}
