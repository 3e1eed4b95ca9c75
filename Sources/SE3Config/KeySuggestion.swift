/// "Did you mean …?": the known word closest to a misspelt one.
public enum KeySuggestion {
    /// The candidate with the smallest edit distance to `word` (insertions, deletions,
    /// substitutions and transpositions of adjacent characters each cost 1), if that distance is at
    /// most `max(1, min(3, word.count / 3))`; ties go to the earlier candidate. A candidate that
    /// starts or ends with `word` (or the other way round, for words of 3+ characters) also counts
    /// as close (`batch` → `batch_size`).
    public static func nearest(to word: String, among candidates: [String]) -> String? {
        let limit = max(1, min(3, word.count / 3))
        var best: (String, Int)? = nil
        for c in candidates {
            let d = distance(word, c)
            if d <= limit, best == nil || d < best!.1 { best = (c, d) }
        }
        if let best { return best.0 }
        guard word.count >= 3 else { return nil }
        return candidates.first { $0.hasPrefix(word) || $0.hasSuffix(word) || (word.hasPrefix($0) && $0.count >= 3) }
    }

    /// Optimal-string-alignment distance between `a` and `b` (characters compared as Unicode
    /// scalars, case-sensitive).
    public static func distance(_ a: String, _ b: String) -> Int {
        let s = Array(a.unicodeScalars), t = Array(b.unicodeScalars)
        if s.isEmpty { return t.count }
        if t.isEmpty { return s.count }
        var d = [[Int]](repeating: [Int](repeating: 0, count: t.count + 1), count: s.count + 1)
        for i in 0...s.count { d[i][0] = i }
        for j in 0...t.count { d[0][j] = j }
        for i in 1...s.count {
            for j in 1...t.count {
                let cost = s[i - 1] == t[j - 1] ? 0 : 1
                d[i][j] = min(d[i - 1][j] + 1, d[i][j - 1] + 1, d[i - 1][j - 1] + cost)
                if i > 1, j > 1, s[i - 1] == t[j - 2], s[i - 2] == t[j - 1] {
                    d[i][j] = min(d[i][j], d[i - 2][j - 2] + 1)
                }
            }
        }
        return d[s.count][t.count]
    }
}
