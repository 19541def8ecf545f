/** Everything every entry point exports. */
export { HubError } from "./error.js";
export type { HubErrorCode, HubErrorInit } from "./error.js";
export * from "./types.js";
export { listFiles } from "./list-files.js";
export type { ListFilesParams } from "./list-files.js";
export { pathsInfo } from "./paths-info.js";
export type { PathsInfoParams } from "./paths-info.js";
export { fileExists } from "./file-exists.js";
export type { FileExistsParams } from "./file-exists.js";
export { fileDownloadInfo } from "./file-download-info.js";
export type { FileDownloadInfoParams } from "./file-download-info.js";
export { downloadFile } from "./download-file.js";
export type { DownloadFileParams } from "./download-file.js";
export { whoAmI } from "./who-am-i.js";
