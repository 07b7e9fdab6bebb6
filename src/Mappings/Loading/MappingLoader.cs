using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using Integration.Mappings.Conflicts;
using Integration.Mappings.Definitions;
using Integration.Mappings.Transforms;
using NJsonSchema;

namespace Integration.Mappings.Loading;

/// <summary>
/// Reads mapping files and checks them fully before they can be used: JSON, the JSON Schema
/// (<c>mapping.schema.json</c>, embedded), then meaning: each master is one of the two systems or <c>both</c> with a
/// conflict rule, transforms are known and have their arguments, JavaScript parses, arrays declare their key.
/// Every problem names the file, the JSON path and the reason. A valid file is compiled once (paths split,
/// transforms built, scripts parsed).
/// </summary>
public static class MappingLoader
{
    private static readonly Lazy<JsonSchema> Schema = new(() =>
    {
        using var stream = typeof(MappingLoader).Assembly.GetManifestResourceStream("mapping.schema.json")!;
        using var reader = new StreamReader(stream);
        return JsonSchema.FromJsonAsync(reader.ReadToEnd()).GetAwaiter().GetResult();
    });

    public static MappingLoadResult LoadFile(string path) => Load(File.ReadAllText(path), path);

    public static MappingLoadResult Load(string json, string file)
    {
        json = json.TrimStart('\uFEFF');
        JsonObject root;
        try
        {
            root = JsonNode.Parse(json) as JsonObject ?? throw new JsonException("the file is not a JSON object");
        }
        catch (JsonException ex)
        {
            return new MappingLoadResult(null, [new MappingProblem(file, "$", $"not valid JSON (line {ex.LineNumber + 1}, byte {ex.BytePositionInLine + 1}): {ex.Message}")]);
        }

        var problems = new List<MappingProblem>();
        foreach (var error in Schema.Value.Validate(json))
        {
            Flatten(error, file, problems);
        }

        if (problems.Count > 0)
        {
            return new MappingLoadResult(null, problems);
        }

        var definition = new Compiler(root, file, json, problems).Compile();
        return new MappingLoadResult(problems.Count == 0 ? definition : null, problems);
    }

    private static void Flatten(NJsonSchema.Validation.ValidationError error, string file, List<MappingProblem> problems)
    {
        if (error is NJsonSchema.Validation.ChildSchemaValidationError child && child.Errors.Count > 0)
        {
            // oneOf/anyOf: report what the alternatives objected to, once, leaving out "wrong type" from the ones that do not apply.
            var inner = child.Errors.SelectMany(e => e.Value).DistinctBy(e => (e.Path, e.Kind)).ToList();
            var specific = inner.Where(e => !e.Kind.ToString().EndsWith("Expected", StringComparison.Ordinal)).ToList();
            foreach (var error2 in specific.Count > 0 ? specific : inner)
            {
                Flatten(error2, file, problems);
            }

            return;
        }

        var path = string.IsNullOrEmpty(error.Path) ? "$" : "$." + error.Path.TrimStart('#', '/');
        var what = error.Property is { } property && error.Kind is NJsonSchema.Validation.ValidationErrorKind.PropertyRequired or NJsonSchema.Validation.ValidationErrorKind.NoAdditionalPropertiesAllowed
            ? $"{error.Kind} '{property}'"
            : error.Kind == NJsonSchema.Validation.ValidationErrorKind.NotInEnumeration && error.Schema?.Enumeration is { Count: > 0 } allowed
                ? $"NotInEnumeration: use one of {string.Join(", ", allowed)}"
                : error.Kind.ToString();
        problems.Add(new MappingProblem(file, path, $"{what} (line {error.LineNumber})"));
    }

    private sealed class Compiler(JsonObject root, string file, string text, List<MappingProblem> problems)
    {
        private MappingSide _left = null!;
        private MappingSide _right = null!;
        private ConflictPolicy? _conflict;

        public MappingDefinition? Compile()
        {
            var id = root["id"]!.GetValue<string>();
            var name = Path.GetFileNameWithoutExtension(file);
            if (file.EndsWith(".json", StringComparison.OrdinalIgnoreCase) && name != id)
            {
                Problem("$.id", $"id '{id}' differs from the file name '{name}'");
            }

            _left = Side((JsonObject)root["left"]!, "$.left");
            _right = Side((JsonObject)root["right"]!, "$.right");
            if (_left.System == _right.System)
            {
                Problem("$.right.system", $"both sides are '{_left.System}': a mapping is between two systems");
            }

            var expected = $"{_left.System}-";
            if (!id.StartsWith(expected, StringComparison.Ordinal) || !id.Contains($"__{_right.System}-", StringComparison.Ordinal))
            {
                Problem("$.id", $"id '{id}' should read {_left.System}-<entity>__{_right.System}-<entity> (left system first)");
            }

            _conflict = Conflict(root["conflict"] as JsonObject, "$.conflict");
            var identity = Identity(root["identity"] as JsonObject);
            var fields = Fields(root["fields"] as JsonArray, "$.fields");
            var arrays = new List<ArrayMapping>();
            if (root["arrays"] is JsonArray list)
            {
                var names = new HashSet<string>(StringComparer.Ordinal);
                for (var i = 0; i < list.Count; i++)
                {
                    if (Array((JsonObject)list[i]!, $"$.arrays[{i}]") is { } array)
                    {
                        if (!names.Add(array.Name))
                        {
                            Problem($"$.arrays[{i}].name", $"array '{array.Name}' is declared twice");
                        }

                        arrays.Add(array);
                    }
                }
            }

            if (problems.Count > 0)
            {
                return null;
            }

            return new MappingDefinition
            {
                Id = id,
                Version = root["version"]?.GetValue<int>() ?? 1,
                Description = root["description"]?.GetValue<string>(),
                File = file,
                ContentHash = Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(text))),
                Left = _left,
                Right = _right,
                Identity = identity,
                Conflict = _conflict,
                Fields = fields,
                Arrays = arrays,
            };
        }

        private MappingSide Side(JsonObject json, string path) => new(
            json["system"]!.GetValue<string>(), json["entity"]!.GetValue<string>(),
            json["id"] is { } id ? TransformFactory.Path(id, path + ".id", Problem) : null,
            json["modifiedAt"] is { } modified ? TransformFactory.Path(modified, path + ".modifiedAt", Problem) : null);

        private IdentityDeclaration Identity(JsonObject? json)
        {
            if (json is null)
            {
                return IdentityDeclaration.None;
            }

            var match = new List<IdentityMatchField>();
            if (json["match"] is JsonArray list)
            {
                for (var i = 0; i < list.Count; i++)
                {
                    var item = (JsonObject)list[i]!;
                    var left = TransformFactory.Path(item["left"], $"$.identity.match[{i}].left", Problem);
                    var right = TransformFactory.Path(item["right"], $"$.identity.match[{i}].right", Problem);
                    if (left is not null && right is not null)
                    {
                        match.Add(new IdentityMatchField(item["name"]!.GetValue<string>(), left, right));
                    }
                }
            }

            var useKeyMap = json["keyMap"]?.GetValue<bool>() ?? false;
            if (useKeyMap && (_left.IdPath is null || _right.IdPath is null))
            {
                Problem("$.identity.keyMap", "matching through the key map needs the record id path on both sides ('left.id' and 'right.id')");
            }

            return new IdentityDeclaration(useKeyMap, match, (json["onMatch"]?.GetValue<string>() ?? "flagDuplicate") == "link");
        }

        private ConflictPolicy? Conflict(JsonObject? json, string path)
        {
            if (json is null)
            {
                return null;
            }

            var rule = json["rule"]!.GetValue<string>() switch
            {
                "masterWins" => ConflictRule.MasterWins,
                "lastWriterWins" => ConflictRule.LastWriterWins,
                _ => ConflictRule.Raise,
            };
            var priority = (json["priority"] as JsonArray)?.Select(p => p!.GetValue<string>()).ToList() ?? [];
            if (rule == ConflictRule.MasterWins && (priority.Count != 2 || !priority.Contains(_left.System) || !priority.Contains(_right.System)))
            {
                Problem(path + ".priority", $"masterWins needs 'priority' listing both systems, the winner first (e.g. [\"{_right.System}\", \"{_left.System}\"])");
            }

            if (rule == ConflictRule.LastWriterWins && (_left.ModifiedAtPath is null || _right.ModifiedAtPath is null))
            {
                Problem(path + ".rule", "lastWriterWins compares the records' modification times: declare 'modifiedAt' on both sides");
            }

            return new ConflictPolicy(rule, priority);
        }

        private List<FieldMapping> Fields(JsonArray? list, string path)
        {
            var fields = new List<FieldMapping>();
            var names = new HashSet<string>(StringComparer.Ordinal);
            for (var i = 0; list is not null && i < list.Count; i++)
            {
                if (Field((JsonObject)list[i]!, $"{path}[{i}]") is { } field)
                {
                    if (!names.Add(field.Name))
                    {
                        Problem($"{path}[{i}].name", $"field '{field.Name}' is declared twice");
                    }

                    fields.Add(field);
                }
            }

            return fields;
        }

        private FieldMaster? Master(JsonNode? json, string path)
        {
            var master = json!.GetValue<string>();
            if (master == "both")
            {
                return FieldMaster.Both;
            }

            if (master == _left.System)
            {
                return FieldMaster.Left;
            }

            if (master == _right.System)
            {
                return FieldMaster.Right;
            }

            Problem(path, $"master '{master}' is neither '{_left.System}' nor '{_right.System}' nor 'both'");
            return null;
        }

        private FieldMapping? Field(JsonObject json, string path)
        {
            var name = json["name"]!.GetValue<string>();
            var master = Master(json["master"], path + ".master");
            var left = json["left"] is { } l ? TransformFactory.Path(l, path + ".left", Problem) : null;
            var right = json["right"] is { } r ? TransformFactory.Path(r, path + ".right", Problem) : null;
            var conflict = Conflict(json["conflict"] as JsonObject, path + ".conflict");
            var hasConstant = json.ContainsKey("constant");
            if (master == FieldMaster.Both && conflict is null && _conflict is null)
            {
                Problem(path + ".master", "master 'both' needs a conflict rule: 'conflict' on the field or the mapping");
            }

            var seedOnCreate = json["seedOnCreate"]?.GetValue<bool>() ?? false;

            // A field that only seeds new records (seedOnCreate) may have nothing to write on its master's way.
            if (master is FieldMaster.Left or FieldMaster.Both && (right is null || right.ContextName is not null) && !(seedOnCreate && master == FieldMaster.Left))
            {
                Problem(path + ".right", $"the field flows to {_right.System} (master {(master == FieldMaster.Both ? "both" : _left.System)}) but has no 'right' path to write");
            }

            if (master is FieldMaster.Right or FieldMaster.Both && (left is null || left.ContextName is not null) && !(seedOnCreate && master == FieldMaster.Right))
            {
                Problem(path + ".left", $"the field flows to {_left.System} (master {_right.System}) but has no 'left' path to write");
            }

            if (!hasConstant && master == FieldMaster.Left && left is null || !hasConstant && master == FieldMaster.Right && right is null)
            {
                Problem(path, "the field has no source path on its master's side and no 'constant'");
            }

            var required = json["required"]?.GetValue<bool>() ?? false;
            var onMissing = json["onMissing"]?.GetValue<string>() switch
            {
                "skip" => MissingValue.Skip,
                "default" => MissingValue.Default,
                "null" => MissingValue.Null,
                "fail" => MissingValue.Fail,
                _ => required ? MissingValue.Fail : MissingValue.Skip,
            };
            if (onMissing == MissingValue.Default && !json.ContainsKey("default"))
            {
                Problem(path + ".default", "onMissing 'default' needs a 'default' value");
            }

            if (required && onMissing == MissingValue.Skip)
            {
                Problem(path + ".onMissing", "a required field cannot skip a missing value (use fail, default or null)");
            }

            var toRight = TransformFactory.Pipeline(json["transform"], path + ".transform", Problem, _left, _right);
            var toLeft = json["reverseTransform"] is { } reverse
                ? TransformFactory.Pipeline(reverse, path + ".reverseTransform", Problem, _left, _right)
                : toRight.Count > 0 && toRight.All(t => t is ValueMapTransform { MapPath: null }) ? [.. toRight.Cast<ValueMapTransform>().Reverse().Select(v => v.Inverse())] : [];
            if (master is null)
            {
                return null;
            }

            // 'transform' goes from the master to the other side (left to right for 'both'); 'reverseTransform' the other way.
            if (master == FieldMaster.Right)
            {
                (toRight, toLeft) = (toLeft, toRight);
            }

            return new FieldMapping
            {
                Name = name,
                DeclaredAt = path,
                Left = left,
                Right = right,
                Master = master.Value,
                Conflict = conflict,
                ToRight = toRight,
                ToLeft = toLeft,
                HasConstant = hasConstant,
                Constant = json["constant"]?.DeepClone(),
                Required = required,
                OnMissing = onMissing,
                Default = json["default"]?.DeepClone(),
                SeedOnCreate = seedOnCreate,
                OnlyOnCreate = json["onlyOnCreate"]?.GetValue<bool>() ?? false,
            };
        }

        private ArrayMapping? Array(JsonObject json, string path)
        {
            var master = Master(json["master"], path + ".master");
            var left = TransformFactory.Path(json["left"], path + ".left", Problem);
            var right = TransformFactory.Path(json["right"], path + ".right", Problem);
            var key = (JsonObject)json["key"]!;
            var leftKey = TransformFactory.Path(key["left"], path + ".key.left", Problem);
            var rightKey = TransformFactory.Path(key["right"], path + ".key.right", Problem);
            var fields = Fields(json["fields"] as JsonArray, path + ".fields");
            if (master == FieldMaster.Both)
            {
                Problem(path + ".master", "an array is added to and removed from by one system: its master is one of the two systems (its fields may be 'both')");
            }

            if (master is null || left is null || right is null || leftKey is null || rightKey is null || master == FieldMaster.Both)
            {
                return null;
            }

            return new ArrayMapping
            {
                Name = json["name"]!.GetValue<string>(),
                DeclaredAt = path,
                Left = left,
                Right = right,
                Master = master.Value,
                LeftKey = leftKey,
                RightKey = rightKey,
                RemoveMissing = json["removeMissing"]?.GetValue<bool>() ?? false,
                Fields = fields,
                SkipWhere = json["skipWhere"] is JsonObject skip ? TransformFactory.Path(skip["path"], path + ".skipWhere.path", Problem) : null,
                SkipWhereOr = json["skipWhere"]?["orPath"] is { } skipOr ? TransformFactory.Path(skipOr, path + ".skipWhere.orPath", Problem) : null,
                SkipEquals = json["skipWhere"]?["equals"]?.DeepClone(),
            };
        }

        private void Problem(string path, string message) => problems.Add(new MappingProblem(file, path, message));
    }
}
