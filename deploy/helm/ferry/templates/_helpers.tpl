{{/* Names and labels, as `helm create` makes them. */}}
{{- define "ferry.name" -}}
{{- default .Chart.Name .Values.nameOverride | trunc 63 | trimSuffix "-" }}
{{- end }}

{{- define "ferry.fullname" -}}
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

{{- define "ferry.chart" -}}
{{- printf "%s-%s" .Chart.Name .Chart.Version | replace "+" "_" | trunc 63 | trimSuffix "-" }}
{{- end }}

{{- define "ferry.labels" -}}
helm.sh/chart: {{ include "ferry.chart" . }}
{{ include "ferry.selectorLabels" . }}
app.kubernetes.io/version: {{ .Values.image.tag | default .Chart.AppVersion | quote }}
app.kubernetes.io/managed-by: {{ .Release.Service }}
{{- end }}

{{- define "ferry.selectorLabels" -}}
app.kubernetes.io/name: {{ include "ferry.name" . }}
app.kubernetes.io/instance: {{ .Release.Name }}
{{- end }}

{{- define "ferry.serviceAccountName" -}}
{{- if .Values.serviceAccount.create }}
{{- default (include "ferry.fullname" .) .Values.serviceAccount.name }}
{{- else }}
{{- default "default" .Values.serviceAccount.name }}
{{- end }}
{{- end }}

{{/* The chart's own Secret (admin token, store URL, S3 keys: whichever the values do not take from a Secret of yours). */}}
{{- define "ferry.secretName" -}}
{{- include "ferry.fullname" . }}
{{- end }}

{{- define "ferry.usesPostgres" -}}
{{- if or .Values.store.postgres.existingSecret .Values.store.postgres.url }}true{{ end }}
{{- end }}

{{- define "ferry.usesS3" -}}
{{- if .Values.artifacts.s3.bucket }}true{{ end }}
{{- end }}

{{- define "ferry.s3KeysInChartSecret" -}}
{{- if and (not .Values.artifacts.s3.existingSecret) (or .Values.artifacts.s3.accessKeyId .Values.artifacts.s3.secretAccessKey) }}true{{ end }}
{{- end }}

{{/* The most pods this release can run: replicaCount, or the autoscaler's maximum. */}}
{{- define "ferry.maxPods" -}}
{{- if .Values.autoscaling.enabled }}{{ .Values.autoscaling.maxReplicas }}{{ else }}{{ .Values.replicaCount }}{{ end }}
{{- end }}

{{/*
Refuses a release whose pods would not share their state: SQLite is a file in one pod's /data, and so are local
artifacts. Several pods need the metadata in PostgreSQL and the artifact files in S3.
*/}}
{{- define "ferry.validate" -}}
{{- $pods := include "ferry.maxPods" . | int }}
{{- if gt $pods 1 }}
{{- if not (include "ferry.usesPostgres" .) }}
{{- fail (printf "ferry: %d replicas need PostgreSQL and S3: set store.postgres.url (or store.postgres.existingSecret) and artifacts.s3.bucket. SQLite and local artifacts live in one pod's /data and cannot be shared; use replicaCount=1 (and autoscaling.enabled=false) for SQLite." $pods) }}
{{- end }}
{{- if not (include "ferry.usesS3" .) }}
{{- fail (printf "ferry: %d replicas need PostgreSQL and S3: set artifacts.s3.bucket (and its endpoint and credentials). Local artifacts live in one pod's /data and cannot be shared; use replicaCount=1 (and autoscaling.enabled=false) without S3." $pods) }}
{{- end }}
{{- end }}
{{- if ge (int .Values.shutdownDrainSeconds) (int .Values.terminationGracePeriodSeconds) }}
{{- fail (printf "ferry: terminationGracePeriodSeconds (%d) must be above shutdownDrainSeconds (%d): the pod drains first, then finishes its requests." (int .Values.terminationGracePeriodSeconds) (int .Values.shutdownDrainSeconds)) }}
{{- end }}
{{- if and .Values.autoscaling.enabled (gt (int .Values.autoscaling.minReplicas) (int .Values.autoscaling.maxReplicas)) }}
{{- fail (printf "ferry: autoscaling.minReplicas (%d) is above autoscaling.maxReplicas (%d)." (int .Values.autoscaling.minReplicas) (int .Values.autoscaling.maxReplicas)) }}
{{- end }}
{{- end }}

{{/* FERRY_ARTIFACTS for S3: s3://bucket/prefix?endpoint=…&region=…&path_style=true */}}
{{- define "ferry.artifactsUrl" -}}
{{- $s3 := .Values.artifacts.s3 }}
{{- $query := list }}
{{- if $s3.endpoint }}{{ $query = append $query (printf "endpoint=%s" $s3.endpoint) }}{{ end }}
{{- if $s3.region }}{{ $query = append $query (printf "region=%s" $s3.region) }}{{ end }}
{{- if $s3.pathStyle }}{{ $query = append $query "path_style=true" }}{{ end }}
{{- printf "s3://%s/%s" $s3.bucket (trimAll "/" $s3.prefix) | trimSuffix "/" }}{{ if $query }}?{{ join "&" $query }}{{ end }}
{{- end }}

{{/* The Host names the server answers to: the values' list, the Service's DNS names, the ingress hosts. */}}
{{- define "ferry.allowedHosts" -}}
{{- $svc := include "ferry.fullname" . }}
{{- $hosts := list $svc (printf "%s.%s" $svc .Release.Namespace) (printf "%s.%s.svc" $svc .Release.Namespace) (printf "%s.%s.svc.cluster.local" $svc .Release.Namespace) }}
{{- if .Values.ingress.enabled }}
{{- range .Values.ingress.hosts }}{{ $hosts = append $hosts .host }}{{ end }}
{{- end }}
{{- join "," (concat .Values.allowedHosts $hosts | uniq) }}
{{- end }}

{{/* /data on a PersistentVolumeClaim: asked for, and something lives there (SQLite or local artifacts). */}}
{{- define "ferry.dataOnVolume" -}}
{{- if and .Values.persistence.enabled (not (and (include "ferry.usesPostgres" .) (include "ferry.usesS3" .))) }}true{{ end }}
{{- end }}
