{{/* Chart name, truncated to the 63 characters Kubernetes names allow. */}}
{{- define "cairn.name" -}}
{{- default .Chart.Name .Values.nameOverride | trunc 63 | trimSuffix "-" }}
{{- end }}

{{/* Fully qualified app name: <release>-<chart> unless the release already contains it. */}}
{{- define "cairn.fullname" -}}
{{- if .Values.fullnameOverride }}
{{- .Values.fullnameOverride | trunc 63 | trimSuffix "-" }}
{{- else }}
{{- $name := default .Chart.Name .Values.nameOverride }}
{{- if contains $name .Release.Name }}
{{- .Release.Name | trunc 63 | trimSuffix "-" }}
{{- else }}
{{- printf "%s-%s" .Release.Name $name | trunc 63 | trimSuffix "-" }}
{{- end }}
{{- end }}
{{- end }}

{{- define "cairn.chart" -}}
{{- printf "%s-%s" .Chart.Name .Chart.Version | replace "+" "_" | trunc 63 | trimSuffix "-" }}
{{- end }}

{{- define "cairn.selectorLabels" -}}
app.kubernetes.io/name: {{ include "cairn.name" . }}
app.kubernetes.io/instance: {{ .Release.Name }}
{{- end }}

{{/* The service pods (not the migrate Job's): what the Service, PDB and Deployment select. */}}
{{- define "cairn.serverSelectorLabels" -}}
{{ include "cairn.selectorLabels" . }}
app.kubernetes.io/component: server
{{- end }}

{{- define "cairn.labels" -}}
helm.sh/chart: {{ include "cairn.chart" . }}
{{ include "cairn.selectorLabels" . }}
app.kubernetes.io/version: {{ .Chart.AppVersion | quote }}
app.kubernetes.io/managed-by: {{ .Release.Service }}
{{- end }}

{{- define "cairn.serviceAccountName" -}}
{{- if .Values.serviceAccount.create }}
{{- default (include "cairn.fullname" .) .Values.serviceAccount.name }}
{{- else }}
{{- default "default" .Values.serviceAccount.name }}
{{- end }}
{{- end }}

{{- define "cairn.image" -}}
{{- printf "%s:%s" .Values.image.repository (default .Chart.AppVersion .Values.image.tag) }}
{{- end }}

{{/* The Secret holding CAIRN_DATABASE_URL, CAIRN_JWT_SECRET and the S3 keys. */}}
{{- define "cairn.secretName" -}}
{{- default (include "cairn.fullname" .) .Values.secrets.existingSecret }}
{{- end }}

{{/* HS256/384/512 verify with CAIRN_JWT_SECRET; RS, ES and PS algorithms with a public key or JWKS. */}}
{{- define "cairn.usesHmac" -}}
{{- if hasPrefix "HS" (trim (toString .Values.config.jwtAlgorithms)) }}true{{ end }}
{{- end }}

{{/* The Secret key `cairn migrate` reads its database URL from. */}}
{{- define "cairn.migrateUrlKey" -}}
{{- if .Values.secrets.keys.migrateDatabaseUrl }}
{{- .Values.secrets.keys.migrateDatabaseUrl }}
{{- else if and (not .Values.secrets.existingSecret) .Values.secrets.migrateDatabaseUrl }}
{{- "migrate-database-url" }}
{{- else }}
{{- .Values.secrets.keys.databaseUrl }}
{{- end }}
{{- end }}

{{/* Secret-backed environment of the service container. */}}
{{- define "cairn.secretEnv" -}}
- name: CAIRN_DATABASE_URL
  valueFrom:
    secretKeyRef:
      name: {{ include "cairn.secretName" . }}
      key: {{ .Values.secrets.keys.databaseUrl }}
{{- if include "cairn.usesHmac" . }}
- name: CAIRN_JWT_SECRET
  valueFrom:
    secretKeyRef:
      name: {{ include "cairn.secretName" . }}
      key: {{ .Values.secrets.keys.jwtSecret }}
{{- end }}
- name: CAIRN_S3_ACCESS_KEY
  valueFrom:
    secretKeyRef:
      name: {{ include "cairn.secretName" . }}
      key: {{ .Values.secrets.keys.s3AccessKey }}
- name: CAIRN_S3_SECRET_KEY
  valueFrom:
    secretKeyRef:
      name: {{ include "cairn.secretName" . }}
      key: {{ .Values.secrets.keys.s3SecretKey }}
{{- end }}

{{/* The migrate container: `cairn migrate` against the owner's URL. */}}
{{- define "cairn.migrateContainer" -}}
- name: migrate
  image: {{ include "cairn.image" . }}
  imagePullPolicy: {{ .Values.image.pullPolicy }}
  command: ["cairn", "migrate"]
  env:
    - name: CAIRN_DATABASE_URL
      valueFrom:
        secretKeyRef:
          name: {{ include "cairn.secretName" . }}
          key: {{ include "cairn.migrateUrlKey" . }}
  securityContext:
    {{- toYaml .Values.securityContext | nindent 4 }}
  resources:
    {{- toYaml .Values.migrations.resources | nindent 4 }}
  volumeMounts:
    - name: tmp
      mountPath: /tmp
{{- end }}
