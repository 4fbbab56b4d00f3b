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

    /** GET /tasks/{uuid}, trimmed from qarnot-api.md §10 / the OpenAPI TaskOutput example, with a failed instance. */
    public static final String TASK = """
            {"uuid": "e4af4f1f-32ae-4e78-8d1b-1b9d8260d78b", "name": "test", "shortname": "e4af4f1f-32ae-4e78-8d1b-1b9d8260d78b",
             "profile": "docker-batch", "poolUuid": null, "jobUuid": null, "progress": 100, "runningInstanceCount": 0,
             "runningCoreCount": 0, "executionTime": "00:28:04", "wallTime": "00:30:27", "state": "Failure",
             "previousState": "UploadingResults", "instanceCount": 3, "stateTransitionTime": "2021-07-20T16:40:13Z",
             "creationDate": "2021-07-20T16:09:43Z", "endDate": "2021-07-20T16:40:13Z", "resourceBuckets": ["resource"],
             "resultBucket": "result", "errors": [{"code": "exit", "message": "Instance 2 exited with 1", "debug": "trace"}],
             "completedInstances": [
               {"instanceId": 0, "state": "Success", "error": null, "results": ["s3://storage.qarnot.com/result/a.txt"],
                "wallTimeSec": 1827.28, "execTimeSec": 1684, "peakMemoryMB": 0, "cpuModel": "AMD Ryzen 7", "coreCount": 16},
               {"instanceId": 2, "state": "Failure", "error": {"code": "exit", "message": "exited with 1"}, "results": []}],
             "status": {"downloadProgress": 0, "executionProgress": 100, "uploadProgress": 100, "executionTimeSec": 1684,
               "succeededRange": "0-1", "executedRange": "0-2", "failedRange": "2", "cancelledRange": "",
               "runningInstancesInfo": {"perRunningInstanceInfo": [], "averageCpuUsage": 0}},
             "constants": [{"key": "DOCKER_REPO", "value": "qlab/pandas"}, {"key": "DOCKER_TAG", "value": "latest"},
                           {"key": "DOCKER_CMD", "value": "python3 launch.py"}],
             "tags": ["demo"], "labels": {}, "hardwareConstraints": [], "autoDeleteOnCompletion": false,
             "completionTimeToLive": "00:00:00", "retrySettings": {"maxTotalRetries": 10, "maxPerInstanceRetries": 2},
             "schedulingType": "flex"}
            """;

    public static final String PROFILE = """
            {"name": "docker-batch", "constants": [
               {"name": "DOCKER_REPO", "value": "library/ubuntu", "description": "Docker image to run"},
               {"name": "DOCKER_CMD", "value": null, "description": "Command to run"}],
             "licenses": []}
            """;

    public static final String POOLS_PAGE = """
            {"data": [{"uuid": "7b6c1c1e-1a1a-4b2b-9c3c-0d0d0d0d0d0d", "name": "render-pool", "shortname": "render-pool",
                       "profile": "docker-batch", "state": "FullyExecuting", "previousState": "FullyDispatched",
                       "instanceCount": 4, "runningInstanceCount": 4, "runningCoreCount": 64,
                       "queuedOrRunningTaskInstancesCount": 12, "creationDate": "2024-01-02T10:00:00Z", "endDate": null}],
             "count": 1, "total": 1, "isTruncated": false, "nextToken": null}
            """;

    public static final String JOB = """
            {"uuid": "5d1e7ac1-9c36-4c65-9e3c-7e1a6a0b3c11", "name": "nightly", "shortname": "nightly",
             "poolUuid": null, "state": "Active", "previousState": null, "useDependencies": true,
             "creationDate": "2024-02-01T00:00:00Z", "lastModified": "2024-02-01T00:00:00Z", "maxWallTime": "12:00:00",
             "tags": ["ci"], "autoDeleteOnCompletion": false}
            """;

    /** GET /info, the OpenAPI UserOutput example values. */
    public static final String INFO = """
            {"email": "some@user.com", "maxBucket": 100, "maxTask": 100, "taskCount": 2, "maxJob": 100, "jobCount": 1,
             "maxPool": 50, "poolCount": 1, "maxRunningTask": 10, "maxRunningPool": 50, "runningTaskCount": 1,
             "runningPoolCount": 1, "runningInstanceCount": 2, "runningCoreCount": 16, "maxInstances": 64,
             "maxCores": 512, "maxFlexInstances": 64, "maxFlexCores": 512, "maxOnDemandInstances": 64,
             "maxOnDemandCores": 512, "quotaBytes": 10737418240, "usedQuotaBytes": 1048576, "defaultScheduling": "flex"}
            """;

    /** GET /carbon/v1/Tasks/{uuid}/carbon-facts, the OpenAPI GetTaskCarbonFactsResponse example values. */
    public static final String CARBON = """
            {"totalConsumedEnergyWh": 306.043, "totalEnergyITWh": 300.064, "totalReuseEnergyWh": 294.041,
             "carbonFootprintC02Eq": 17.7, "pue": 1.001, "ere": 0.036, "erf": 0.964, "wue": 0,
             "comparisonDataCenterName": "Common European Datacenter", "equivalentDCCarbonFootprintC02Eq": 84.5,
             "savedCarbonFootprintComputeC02Eq": 66.8, "savedCarbonFootprintHeatC02Eq": 17.1,
             "savedCarbonFootprintComputeHeatC02Eq": 83.8, "savedCarbonFootprintPercentage": 17.7}
            """;

    public static final String HARDWARE = """
            {"data": [{"discriminator": "MinimumCoreHardwareConstraint", "coreCount": 16},
                      {"discriminator": "SpecificHardwareConstraint", "specificationKey": "8c-32g-amd-rz3700x"},
                      {"discriminator": "GpuHardwareConstraint"}],
             "offset": 0, "limit": 3, "total": 10}
            """;

    private Fixtures() {
    }
}
