/** S3 and S3-compatible storage: URIs, client settings from the environment, streaming multipart uploads. */
export { parseS3Uri, formatS3Uri, checkKey, type S3Location } from './s3-uri.js';
export { readS3Settings, createS3Client, type S3Settings } from './s3-settings.js';
export { createS3Sink, uploadToS3, type S3UploadOptions, type S3UploadResult } from './s3-sink.js';
export { isS3NotFound } from './s3-errors.js';
