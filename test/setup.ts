/**
 * Mocha setup: a mock that throws leaves unhandled rejections behind; make them fail the test at once
 * instead of hanging until the timeout.
 */
process.on("unhandledRejection", (error) => {
    throw error;
});
