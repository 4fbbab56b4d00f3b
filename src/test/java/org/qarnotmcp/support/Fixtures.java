package org.qarnotmcp.support;

/** Qarnot response bodies, taken from the examples in Qarnot's OpenAPI document and official SDK fixtures. */
public final class Fixtures {

    public static final String TASK_UUID = "ff149809-9415-4132-aad1-faad5383ea11";

    public static final String SUMMARIES_PAGE = """
            {"data": [{"uuid": "ff149809-9415-4132-aad1-faad5383ea11", "name": "hello constant",
                       "shortname": "ff149809-9415-4132-aad1-faad5383ea11", "profile": "docker-batch", "poolUuid": null,
                       "jobUuid": null, "progress": 100.0, "runningInstanceCount": 0, "runningCoreCount": 0,
                       "executionTime": "00:00:38", "wallTime": "00:03:59", "state": "Success",
                       "previousState": "UploadingResults", "instanceCount": 1,
                       "stateTransitionTime": "2022-12-23T17:03:17Z", "lastModified": "2022-12-23T17:03:18Z",
                       "creationDate": "2022-12-23T16:59:11Z", "endDate": "2022-12-23T17:03:18Z"},
                      {"uuid": "e4af4f1f-32ae-4e78-8d1b-1b9d8260d78b", "name": "render", "shortname": "render-1",
                       "profile": "docker-batch", "poolUuid": null, "jobUuid": null, "progress": 42.5,
                       "runningInstanceCount": 3, "state": "FullyExecuting", "instanceCount": 4,
                       "creationDate": "2022-12-24T10:00:00Z", "endDate": null}],
             "count": 2, "total": 37, "isTruncated": true, "nextToken": "5ed67ba6d1f1b90d3aff497b"}
            """;

    public static final String LAST_PAGE = """
            {"data": [], "count": 0, "total": 37, "isTruncated": false, "nextToken": null}
            """;

    public static final String CREATED = "{\"uuid\": \"cddbc5ab-c44d-4c49-9421-0ab795613da7\"}";

    public static final String BAD_TOKEN = "{\"error\": {\"message\": \"Bad authentication token\", \"code\": 401}, \"data\": {}}";

    private Fixtures() {
    }
}
