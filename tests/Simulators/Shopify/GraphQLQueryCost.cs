using System.Globalization;
using System.Text.Json.Nodes;

namespace Integration.Simulators.Shopify;

/// <summary>
/// The requested cost of a query as Shopify calculates it from the query's text, before running it: a scalar 0, an
/// object 1, a connection (a field with <c>first:</c>) 2 plus <c>first</c> times the cost of one node, the node counting
/// 1 and every object selected in it; <c>pageInfo</c>, <c>edges</c> and the connection object itself are free. A list of
/// objects without <c>first:</c> is charged as one object. Checked against a published figure: Business Central's
/// fulfillment-order lines query (<c>lineItems(first: 25)</c>, each node with <c>lineItem { product variant }</c>)
/// declares 103 = 1 + 2 + 25 × 4. Fragments are expanded where they are spread.
/// </summary>
public static class GraphQLQueryCost
{
    public static double Requested(string query, JsonObject variables)
    {
        var tokens = Tokenize(query);
        var fragments = new Dictionary<string, int>(StringComparer.Ordinal);
        var operation = -1;
        for (var i = 0; i < tokens.Count; i++)
        {
            if (tokens[i] == "fragment" && i + 4 < tokens.Count && tokens[i + 2] == "on")
            {
                // A fragment's body is priced where it is spread, wherever the fragment stands in the text.
                var open = tokens.IndexOf("{", i);
                fragments[tokens[i + 1]] = open;
                i = Closing(tokens, open);
            }
            else if (operation < 0 && tokens[i] == "{")
            {
                operation = i;
            }
        }

        return operation < 0 ? 0 : Selection(tokens, operation, fragments, variables, out _);
    }

    // The cost of the selection set opening at tokens[open] ("{"); end is the index of its closing "}".
    private static double Selection(List<string> tokens, int open, Dictionary<string, int> fragments, JsonObject variables, out int end)
    {
        double cost = 0;
        var i = open + 1;
        while (tokens[i] != "}")
        {
            if (tokens[i] == "...")
            {
                cost += fragments.TryGetValue(tokens[i + 1], out var at) ? Selection(tokens, at, fragments, variables, out _) : 0;
                i += 2;
                continue;
            }

            var name = tokens[i++];
            if (tokens[i] == ":")
            {
                name = tokens[i + 1]; // an alias: the field is what follows
                i += 2;
            }

            int? first = null;
            if (tokens[i] == "(")
            {
                for (i++; tokens[i] != ")"; i++)
                {
                    if (tokens[i] is "first" or "last" && tokens[i + 1] == ":")
                    {
                        var value = tokens[i + 2];
                        first = value.StartsWith('$')
                            ? variables[value[1..]] is JsonValue v && v.TryGetValue<int>(out var n) ? n : 0
                            : int.Parse(value, CultureInfo.InvariantCulture);
                    }
                }

                i++;
            }

            if (tokens[i] != "{")
            {
                continue; // a scalar or enum
            }

            var inner = Selection(tokens, i, fragments, variables, out var close);
            i = close + 1;
            cost += name switch
            {
                "pageInfo" => 0,
                // A connection's nodes ("nodes { }" or "edges { node { } }") cost 1 each plus what they select.
                "edges" when first is null => inner,
                "node" or "nodes" when first is null => 1 + inner,
                _ when first is { } size => 2 + (size * inner),
                _ => 1 + inner,
            };
        }

        end = i;
        return cost;
    }

    private static int Closing(List<string> tokens, int open)
    {
        var depth = 0;
        for (var i = open; i < tokens.Count; i++)
        {
            depth += tokens[i] == "{" ? 1 : tokens[i] == "}" ? -1 : 0;
            if (depth == 0)
            {
                return i;
            }
        }

        return tokens.Count - 1;
    }

    private static List<string> Tokenize(string query)
    {
        var tokens = new List<string>();
        var i = 0;
        while (i < query.Length)
        {
            var c = query[i];
            if (char.IsWhiteSpace(c) || c == ',')
            {
                i++;
            }
            else if (c == '#')
            {
                while (i < query.Length && query[i] != '\n')
                {
                    i++;
                }
            }
            else if (c == '"')
            {
                var start = i++;
                while (i < query.Length && query[i] != '"')
                {
                    i += query[i] == '\\' ? 2 : 1;
                }

                tokens.Add(query[start..++i]);
            }
            else if (c == '.' && query.AsSpan(i).StartsWith("..."))
            {
                tokens.Add("...");
                i += 3;
            }
            else if ("{}():![]=@".Contains(c, StringComparison.Ordinal))
            {
                tokens.Add(c.ToString());
                i++;
            }
            else
            {
                var start = i;
                while (i < query.Length && (char.IsLetterOrDigit(query[i]) || query[i] is '_' or '$' or '-' or '.') && !query.AsSpan(i).StartsWith("..."))
                {
                    i++;
                }

                tokens.Add(query[start..i]);
            }
        }

        return tokens;
    }
}
