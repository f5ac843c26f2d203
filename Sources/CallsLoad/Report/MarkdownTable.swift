/// A Markdown table: a header row and rows of cells, rendered with `|` separators.
package struct MarkdownTable {
    /// The column titles.
    package var headers: [String]
    /// The rows, each as many cells as there are headers.
    package var rows: [[String]] = []
    /// Columns (by index) aligned right: the numbers.
    package var numericColumns: Set<Int> = []

    /// Creates a table with no rows yet.
    package init(headers: [String], numericColumns: Set<Int> = []) {
        self.headers = headers
        self.numericColumns = numericColumns
    }

    /// Appends one row.
    package mutating func add(_ cells: String...) {
        rows.append(cells)
    }

    /// The table's lines, ending with a newline.
    package var rendered: String {
        let separator = headers.indices.map { numericColumns.contains($0) ? "---:" : "---" }
        return ([headers, separator] + rows).map { "| " + $0.joined(separator: " | ") + " |" }.joined(separator: "\n")
            + "\n"
    }
}
