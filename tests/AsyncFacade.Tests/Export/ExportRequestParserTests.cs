using AsyncFacade.Server.Export;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.WebUtilities;

namespace AsyncFacade.Tests.Export;

public sealed class ExportRequestParserTests
{
    private static ExportRequest? Get(string query, out ExportRequestError? error,
        ExportLevel level = ExportLevel.System, string? groupId = null, bool lenient = false) =>
        ExportRequestParser.Parse(level, groupId, new QueryCollection(QueryHelpers.ParseQuery(query)), lenient, out error);

    private static ExportRequest Ok(string query, ExportLevel level = ExportLevel.System, bool lenient = false)
    {
        var request = Get(query, out var error, level, level == ExportLevel.Group ? "g1" : null, lenient);
        Assert.Null(error);
        return Assert.IsType<ExportRequest>(request);
    }

    private static ExportRequestError Fails(string query, ExportLevel level = ExportLevel.System)
    {
        var request = Get(query, out var error, level, level == ExportLevel.Group ? "g1" : null);
        Assert.Null(request);
        return Assert.IsType<ExportRequestError>(error);
    }

    private static string Body(params string[] parameters) =>
        $$"""{"resourceType":"Parameters","parameter":[{{string.Join(",", parameters)}}]}""";

    private static ExportRequest? Post(string json, out ExportRequestError? error,
        ExportLevel level = ExportLevel.Patient, bool lenient = false) =>
        ExportRequestParser.ParseParameters(level, level == ExportLevel.Group ? "g1" : null, json, lenient, out error);

    private static ExportRequest PostOk(string json, ExportLevel level = ExportLevel.Patient, bool lenient = false)
    {
        var request = Post(json, out var error, level, lenient);
        Assert.Null(error);
        return Assert.IsType<ExportRequest>(request);
    }

    private static ExportRequestError PostFails(string json, ExportLevel level = ExportLevel.Patient)
    {
        var request = Post(json, out var error, level);
        Assert.Null(request);
        return Assert.IsType<ExportRequestError>(error);
    }

    // Defaults and _outputFormat

    [Fact]
    public void Empty_query_gives_ndjson_all_types_and_empty_lists()
    {
        var request = Ok("");

        Assert.Equal(ExportLevel.System, request.Level);
        Assert.Null(request.GroupId);
        Assert.Equal("application/fhir+ndjson", request.OutputFormat);
        Assert.Null(request.Since);
        Assert.Null(request.Until);
        Assert.Empty(request.Types);
        Assert.Empty(request.TypeFilters);
        Assert.Empty(request.Elements);
        Assert.Empty(request.Patients);
        Assert.Empty(request.IncludeAssociatedData);
        Assert.Null(request.OrganizeOutputBy);
        Assert.False(request.AllowPartialManifests);
    }

    [Fact]
    public void Group_level_keeps_the_group_id()
    {
        var request = Ok("", ExportLevel.Group);

        Assert.Equal(ExportLevel.Group, request.Level);
        Assert.Equal("g1", request.GroupId);
    }

    [Theory]
    [InlineData("application/fhir+ndjson")]
    [InlineData("application/ndjson")]
    [InlineData("ndjson")]
    [InlineData("Application/FHIR+NDJSON")]
    [InlineData(" ndjson ")]
    public void Each_accepted_output_format_is_normalised_to_fhir_ndjson(string format)
    {
        var request = Ok("?_outputFormat=" + Uri.EscapeDataString(format));

        Assert.Equal("application/fhir+ndjson", request.OutputFormat);
    }

    [Theory]
    [InlineData("application/json")]
    [InlineData("application/fhir+ndjson; charset=utf-8")]
    [InlineData("")]
    public void Other_output_formats_are_rejected_naming_the_parameter(string format)
    {
        var error = Fails("?_outputFormat=" + Uri.EscapeDataString(format));

        Assert.Equal("_outputFormat", error.Parameter);
        Assert.StartsWith("_outputFormat:", error.Message);
    }

    // _since and _until

    [Theory]
    [InlineData("2024-01-01", "2024-01-01T00:00:00+00:00")]
    [InlineData("2024-01-01T10:00:00Z", "2024-01-01T10:00:00+00:00")]
    [InlineData("2024-01-01T10:00:00.123+02:00", "2024-01-01T10:00:00.123+02:00")]
    [InlineData("2024-02-29T23:59:59.123456789-05:30", "2024-02-29T23:59:59.1234567-05:30")]
    public void Since_accepts_a_date_or_a_zoned_date_time(string value, string expected)
    {
        var request = Ok("?_since=" + Uri.EscapeDataString(value));

        Assert.Equal(DateTimeOffset.Parse(expected, System.Globalization.CultureInfo.InvariantCulture), request.Since);
        Assert.Equal(DateTimeOffset.Parse(expected, System.Globalization.CultureInfo.InvariantCulture).Offset, request.Since!.Value.Offset);
    }

    [Theory]
    [InlineData("2024")]
    [InlineData("2024-01")]
    [InlineData("2024-01-01T10:00:00")]
    [InlineData("2024-01-01T10:00Z")]
    [InlineData("2024-02-30")]
    [InlineData("2024-01-01T24:00:00Z")]
    [InlineData("2024-01-01T10:00:00+15:00")]
    [InlineData("yesterday")]
    [InlineData("")]
    public void Malformed_since_is_rejected(string value)
    {
        var error = Fails("?_since=" + Uri.EscapeDataString(value));

        Assert.Equal("_since", error.Parameter);
        Assert.Contains("_since", error.Message);
    }

    [Fact]
    public void Malformed_until_is_rejected()
    {
        var error = Fails("?_until=2024-13-01");

        Assert.Equal("_until", error.Parameter);
    }

    [Fact]
    public void Until_before_since_is_rejected()
    {
        var error = Fails("?_since=2024-02-01&_until=2024-01-01");

        Assert.Equal("_until", error.Parameter);
        Assert.Contains("_since", error.Message);
    }

    [Fact]
    public void Since_in_the_future_with_a_later_until_is_accepted()
    {
        var request = Ok("?_since=2999-01-01T00:00:00Z&_until=2999-01-02");

        Assert.Equal(new DateTimeOffset(2999, 1, 1, 0, 0, 0, TimeSpan.Zero), request.Since);
        Assert.Equal(new DateTimeOffset(2999, 1, 2, 0, 0, 0, TimeSpan.Zero), request.Until);
    }

    // _type

    [Fact]
    public void Type_lists_and_repeats_are_merged_deduplicated_and_sorted_ordinally()
    {
        var request = Ok("?_type=Patient,Observation&_type=Condition,Patient");

        Assert.Equal(["Condition", "Observation", "Patient"], request.Types);
    }

    [Fact]
    public void Unknown_type_is_rejected_naming_it()
    {
        var error = Fails("?_type=Patient,Patientt");

        Assert.Equal("_type", error.Parameter);
        Assert.Equal("_type: 'Patientt' is not a FHIR R4 resource type.", error.Message);
    }

    [Theory]
    [InlineData("patient")]
    [InlineData("Resource")]
    [InlineData("DomainResource")]
    public void Type_names_are_case_sensitive_and_exclude_abstract_bases(string type)
    {
        Assert.Equal("_type", Fails("?_type=" + type).Parameter);
    }

    [Theory]
    [InlineData("?_type=Patient,,Observation")]
    [InlineData("?_type=")]
    [InlineData("?_type=Patient,")]
    public void Empty_type_item_is_rejected(string query)
    {
        var error = Fails(query);

        Assert.Equal("_type", error.Parameter);
        Assert.Contains("empty", error.Message);
    }

    // _typeFilter

    [Fact]
    public void Type_filter_is_split_at_the_first_question_mark()
    {
        var request = Ok("?_typeFilter=" + Uri.EscapeDataString("Observation?status=final&category=laboratory"));

        Assert.Equal([new ExportTypeFilter("Observation", "status=final&category=laboratory")], request.TypeFilters);
    }

    [Fact]
    public void Comma_separated_type_filters_in_a_get_are_split_only_before_a_type_and_question_mark()
    {
        var value = "Observation?code=a,b&status=final,MedicationRequest?status=active";
        var request = Ok("?_typeFilter=" + Uri.EscapeDataString(value) + "&_typeFilter=" + Uri.EscapeDataString("Condition?code=x"));

        Assert.Equal(
            [
                new ExportTypeFilter("Observation", "code=a,b&status=final"),
                new ExportTypeFilter("MedicationRequest", "status=active"),
                new ExportTypeFilter("Condition", "code=x"),
            ],
            request.TypeFilters);
    }

    [Fact]
    public void Type_filter_with_unknown_type_is_rejected()
    {
        var error = Fails("?_typeFilter=" + Uri.EscapeDataString("Observation?status=final,Observatio?status=final"));

        Assert.Equal("_typeFilter", error.Parameter);
        Assert.Contains("'Observatio' is not a FHIR R4 resource type", error.Message);
    }

    [Fact]
    public void Type_filter_for_a_type_outside_the_requested_types_is_rejected()
    {
        var error = Fails("?_type=Patient&_typeFilter=" + Uri.EscapeDataString("Observation?status=final"));

        Assert.Equal("_typeFilter", error.Parameter);
        Assert.Contains("_type", error.Message);
    }

    [Fact]
    public void Type_filter_for_a_requested_type_is_accepted()
    {
        var request = Ok("?_type=Observation,Patient&_typeFilter=" + Uri.EscapeDataString("Observation?status=final"));

        Assert.Single(request.TypeFilters);
    }

    [Theory]
    [InlineData("Observation")]
    [InlineData("Observation?")]
    [InlineData("?status=final")]
    public void Type_filter_without_type_or_query_is_rejected(string value)
    {
        Assert.Equal("_typeFilter", Fails("?_typeFilter=" + Uri.EscapeDataString(value)).Parameter);
    }

    [Theory]
    [InlineData("_include")]
    [InlineData("_include:iterate")]
    [InlineData("_revinclude")]
    [InlineData("_sort")]
    [InlineData("_count")]
    [InlineData("_elements")]
    [InlineData("_summary")]
    [InlineData("_type")]
    public void Type_filter_with_a_paging_or_shaping_parameter_is_rejected(string parameter)
    {
        var error = Fails("?_typeFilter=" + Uri.EscapeDataString($"Observation?status=final&{parameter}=x"));

        Assert.Equal("_typeFilter", error.Parameter);
        Assert.Contains(parameter.Split(':')[0], error.Message);
    }

    // _elements

    [Fact]
    public void Elements_accept_bare_and_type_qualified_names()
    {
        var request = Ok("?_elements=Patient.name,id&_elements=Observation.valueQuantity");

        Assert.Equal(["Patient.name", "id", "Observation.valueQuantity"], request.Elements);
    }

    [Theory]
    [InlineData("Patientt.name")]
    [InlineData("Patient.name.given")]
    [InlineData("1name")]
    [InlineData("name-x")]
    [InlineData("Patient.")]
    [InlineData("name,,id")]
    public void Malformed_elements_are_rejected(string value)
    {
        var error = Fails("?_elements=" + Uri.EscapeDataString(value));

        Assert.Equal("_elements", error.Parameter);
        Assert.StartsWith("_elements:", error.Message);
    }

    // patient

    [Fact]
    public void Patient_in_a_get_is_rejected_saying_post_is_required()
    {
        var error = Fails("?patient=Patient/1", ExportLevel.Patient);

        Assert.Equal("patient", error.Parameter);
        Assert.Contains("POST", error.Message);
    }

    [Theory]
    [InlineData(ExportLevel.Patient)]
    [InlineData(ExportLevel.Group)]
    public void Patient_references_in_a_post_are_kept_for_patient_and_group_level(ExportLevel level)
    {
        var request = PostOk(Body(
            """{"name":"patient","valueReference":{"reference":"Patient/123"}}""",
            """{"name":"patient","valueReference":{"reference":"Patient/abc-1.2"}}""",
            """{"name":"patient","valueReference":{"reference":"Patient/123"}}"""), level);

        Assert.Equal(["Patient/123", "Patient/abc-1.2"], request.Patients);
    }

    [Fact]
    public void Patient_in_a_system_level_post_is_rejected()
    {
        var error = PostFails(Body("""{"name":"patient","valueReference":{"reference":"Patient/123"}}"""), ExportLevel.System);

        Assert.Equal("patient", error.Parameter);
        Assert.Contains("Patient- and Group-level", error.Message);
    }

    [Theory]
    [InlineData("""{"reference":"Observation/1"}""")]
    [InlineData("""{"reference":"http://x/Patient/1"}""")]
    [InlineData("""{"display":"Alice"}""")]
    public void Patient_reference_that_is_not_patient_slash_id_is_rejected(string reference)
    {
        var error = PostFails(Body($$"""{"name":"patient","valueReference":{{reference}}}"""));

        Assert.Equal("patient", error.Parameter);
    }

    // includeAssociatedData, organizeOutputBy, allowPartialManifests

    [Fact]
    public void Include_associated_data_is_kept_as_given()
    {
        var request = Ok("?includeAssociatedData=LatestProvenanceResources,_custom");

        Assert.Equal(["LatestProvenanceResources", "_custom"], request.IncludeAssociatedData);
    }

    [Fact]
    public void Empty_include_associated_data_item_is_rejected()
    {
        Assert.Equal("includeAssociatedData", Fails("?includeAssociatedData=LatestProvenanceResources,").Parameter);
    }

    [Fact]
    public void Organize_output_by_takes_a_resource_type()
    {
        Assert.Equal("Patient", Ok("?organizeOutputBy=Patient").OrganizeOutputBy);

        var error = Fails("?organizeOutputBy=patient");
        Assert.Equal("organizeOutputBy", error.Parameter);
        Assert.Contains("'patient'", error.Message);
    }

    [Theory]
    [InlineData("true", true)]
    [InlineData("false", false)]
    public void Allow_partial_manifests_reads_true_and_false(string value, bool expected)
    {
        Assert.Equal(expected, Ok("?allowPartialManifests=" + value).AllowPartialManifests);
    }

    [Theory]
    [InlineData("yes")]
    [InlineData("True")]
    [InlineData("")]
    public void Allow_partial_manifests_rejects_anything_but_true_or_false(string value)
    {
        Assert.Equal("allowPartialManifests", Fails("?allowPartialManifests=" + value).Parameter);
    }

    // Unknown and repeated parameters

    [Fact]
    public void Unknown_parameter_is_rejected_when_strict()
    {
        var error = Fails("?_type=Patient&_foo=1");

        Assert.Equal("_foo", error.Parameter);
        Assert.Contains("_foo", error.Message);
    }

    [Fact]
    public void Unknown_parameter_is_ignored_when_lenient()
    {
        var request = Ok("?_type=Patient&_foo=1", lenient: true);

        Assert.Equal(["Patient"], request.Types);
    }

    [Fact]
    public void Lenient_does_not_excuse_a_bad_known_parameter()
    {
        Get("?_type=Patientt&_foo=1", out var error, lenient: true);

        Assert.Equal("_type", error?.Parameter);
    }

    [Theory]
    [InlineData("?_outputFormat=ndjson&_outputFormat=ndjson", "_outputFormat")]
    [InlineData("?_since=2024-01-01&_since=2024-01-02", "_since")]
    [InlineData("?_until=2024-01-01&_until=2024-01-02", "_until")]
    [InlineData("?organizeOutputBy=Patient&organizeOutputBy=Patient", "organizeOutputBy")]
    [InlineData("?allowPartialManifests=true&allowPartialManifests=true", "allowPartialManifests")]
    public void Repeating_a_single_valued_parameter_is_rejected(string query, string parameter)
    {
        var error = Fails(query);

        Assert.Equal(parameter, error.Parameter);
        Assert.Contains("at most once", error.Message);
    }

    // POST Parameters

    [Fact]
    public void Post_reads_every_value_kind()
    {
        var request = PostOk(Body(
            """{"name":"_outputFormat","valueString":"application/ndjson"}""",
            """{"name":"_since","valueInstant":"2024-01-01T10:00:00Z"}""",
            """{"name":"_until","valueDateTime":"2024-02-01"}""",
            """{"name":"_type","valueString":"Observation"}""",
            """{"name":"_type","valueString":"Patient,Condition"}""",
            """{"name":"_typeFilter","valueString":"Observation?code=a,b"}""",
            """{"name":"_elements","valueString":"Patient.name"}""",
            """{"name":"patient","valueReference":{"reference":"Patient/7"}}""",
            """{"name":"includeAssociatedData","valueCode":"LatestProvenanceResources"}""",
            """{"name":"includeAssociatedData","valueString":"_custom"}""",
            """{"name":"organizeOutputBy","valueString":"Patient"}""",
            """{"name":"allowPartialManifests","valueBoolean":true}"""), ExportLevel.Group);

        Assert.Equal(
            new ExportRequest(ExportLevel.Group, "g1", "application/fhir+ndjson",
                new DateTimeOffset(2024, 1, 1, 10, 0, 0, TimeSpan.Zero), new DateTimeOffset(2024, 2, 1, 0, 0, 0, TimeSpan.Zero),
                request.Types, request.TypeFilters, request.Elements, request.Patients, request.IncludeAssociatedData,
                "Patient", true),
            request);
        Assert.Equal(["Condition", "Observation", "Patient"], request.Types);
        Assert.Equal([new ExportTypeFilter("Observation", "code=a,b")], request.TypeFilters);
        Assert.Equal(["Patient.name"], request.Elements);
        Assert.Equal(["Patient/7"], request.Patients);
        Assert.Equal(["LatestProvenanceResources", "_custom"], request.IncludeAssociatedData);
    }

    [Fact]
    public void Post_with_no_parameter_array_gives_defaults()
    {
        var request = PostOk("""{"resourceType":"Parameters"}""");

        Assert.Equal("application/fhir+ndjson", request.OutputFormat);
        Assert.Empty(request.Types);
    }

    [Theory]
    [InlineData("""{"name":"_since","valueString":"2024-01-01"}""", "_since")]
    [InlineData("""{"name":"_type","valueCode":"Patient"}""", "_type")]
    [InlineData("""{"name":"_type","valueString":42}""", "_type")]
    [InlineData("""{"name":"allowPartialManifests","valueString":"true"}""", "allowPartialManifests")]
    [InlineData("""{"name":"patient","valueString":"Patient/1"}""", "patient")]
    [InlineData("""{"name":"_type"}""", "_type")]
    [InlineData("""{"name":"_type","valueString":"Patient","valueCode":"Patient"}""", "_type")]
    [InlineData("""{"name":"_type","part":[]}""", "_type")]
    public void Post_value_of_the_wrong_kind_is_rejected_naming_the_parameter(string entry, string parameter)
    {
        var error = PostFails(Body(entry));

        Assert.Equal(parameter, error.Parameter);
        Assert.StartsWith(parameter + ":", error.Message);
    }

    [Theory]
    [InlineData("")]
    [InlineData("{")]
    [InlineData("""{"resourceType":"Parameters","parameter":[}""")]
    public void Malformed_json_is_a_body_error(string json)
    {
        var error = PostFails(json);

        Assert.Equal("body", error.Parameter);
        Assert.Contains("JSON", error.Message);
    }

    [Theory]
    [InlineData("""{"resourceType":"Patient"}""")]
    [InlineData("""{"parameter":[]}""")]
    [InlineData("""[]""")]
    [InlineData("""{"resourceType":"Parameters","parameter":{}}""")]
    [InlineData("""{"resourceType":"Parameters","parameter":[{"valueString":"Patient"}]}""")]
    public void Body_that_is_not_a_parameters_resource_is_rejected(string json)
    {
        Assert.Equal("body", PostFails(json).Parameter);
    }

    [Fact]
    public void Post_unknown_parameter_is_rejected_when_strict_and_ignored_when_lenient()
    {
        var json = Body("""{"name":"_type","valueString":"Patient"}""", """{"name":"_foo","valueInteger":1}""");

        Assert.Equal("_foo", PostFails(json).Parameter);
        Assert.Equal(["Patient"], PostOk(json, lenient: true).Types);
    }

    [Fact]
    public void Post_repeated_single_valued_parameter_is_rejected()
    {
        var error = PostFails(Body(
            """{"name":"_since","valueInstant":"2024-01-01T00:00:00Z"}""",
            """{"name":"_since","valueInstant":"2024-01-02T00:00:00Z"}"""));

        Assert.Equal("_since", error.Parameter);
    }

    [Fact]
    public void Post_until_before_since_is_rejected()
    {
        var error = PostFails(Body(
            """{"name":"_since","valueInstant":"2024-01-02T00:00:00Z"}""",
            """{"name":"_until","valueDateTime":"2024-01-01"}"""));

        Assert.Equal("_until", error.Parameter);
    }
}
