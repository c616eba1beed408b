# The KubeVirt CR (KubeVirt 0.58's kubevirt-cr.yaml plus the role's settings).
apiVersion: kubevirt.io/v1
kind: KubeVirt
metadata:
  name: kubevirt
  namespace: ${kubevirt_namespace}
spec:
  imageRegistry: ${kubevirt_image_registry}
  imageTag: ${kubevirt_image_tag}
  imagePullPolicy: ${kubevirt_image_pull_policy}
  certificateRotateStrategy: {}
  customizeComponents: {}
  workloadUpdateStrategy: {}
  configuration:
    developerConfiguration:
      featureGates: ${to_json(kubevirt_feature_gates)}
<#if kubevirt_migrations?has_content>
    migrations: ${to_json(kubevirt_migrations)}
</#if>
<#if kubevirt_eviction_strategy?has_content>
    evictionStrategy: ${kubevirt_eviction_strategy}
</#if>
